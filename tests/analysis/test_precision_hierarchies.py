"""ARC202 (deep inheritance chain) false-positive classes seen on real packages (issue 21), each
beside the true-positive twin that must still be reported."""

from __future__ import annotations

from analysis_harness import Workspace, lines_of, run_check

# Four first-party levels, each with code of its own: deeper than the default limit of 3.
OWN_CHAIN = """
class Handler:
    def __init__(self):
        self.user = None

    def prepare(self):
        return 1


class AuthHandler(Handler):
    def prepare(self):
        return 2


class ApiHandler(AuthHandler):
    def write_json(self):
        return 3


class AdminHandler(ApiHandler):
    def check(self):
        return 4


class UserHandler(AdminHandler):
    def get(self):
        return 5
"""


def test_a_deep_chain_of_our_own_classes_is_still_reported():
    findings = run_check("ARC202", OWN_CHAIN)
    assert lines_of(findings) == [25]
    assert len(findings[0].data["chain"]) == 4


def test_a_chain_the_framework_roots_is_the_frameworks_hierarchy():
    # The same shape under a Tornado RequestHandler: the framework asks for it.
    tornado = "from tornado.web import RequestHandler\n" + OWN_CHAIN.replace("class Handler:", "class Handler(RequestHandler):")
    assert run_check("ARC202", tornado) == []
    # Django class-based views, through a module of our own that re-exports nothing.
    views = {
        "app.views.base": """
            from django.views.generic import View

            class BaseView(View):
                def setup(self, request):
                    self.request = request
        """,
    }
    source = """
    from app.views.base import BaseView

    class LoginRequired(BaseView):
        def dispatch(self):
            return 1

    class TeamView(LoginRequired):
        def get_team(self):
            return 2

    class TeamMembers(TeamView):
        def get(self):
            return 3

    class TeamAdmins(TeamMembers):
        def get(self):
            return 4
    """
    assert run_check("ARC202", source, workspace=Workspace(modules=views)) == []
    # unittest TestCase trees (the standard library's framework).
    tests = "import unittest\n" + OWN_CHAIN.replace("class Handler:", "class Handler(unittest.TestCase):")
    assert run_check("ARC202", tests) == []


def test_marker_roles_add_no_level():
    # SQLAlchemy's roles: classes with no methods, only a name for the coercion system.
    source = """
    class SQLRole:
        _role_name = "sql"

    class StructuralRole(SQLRole):
        __slots__ = ()

    class JoinTargetRole(StructuralRole):
        __slots__ = ()

    class FromClauseRole(JoinTargetRole):
        _role_name = "FROM expression"

    class FromClause(FromClauseRole):
        def __init__(self):
            self.columns = []

    class Alias(FromClause):
        def alias(self):
            return self
    """
    assert run_check("ARC202", source) == []


def test_capability_mixins_with_only_private_helpers_add_no_level():
    # SQLAlchemy's HasCacheKey/MemoizedHasCacheKey under ClauseElement: helpers, not a layer.
    source = """
    class HasCacheKey:
        def _gen_cache_key(self):
            return ()

    class MemoizedHasCacheKey(HasCacheKey):
        def _generate_cache_key(self):
            return self._gen_cache_key()

    class ClauseElement(MemoizedHasCacheKey):
        def compile(self):
            return ""

    class ColumnElement(ClauseElement):
        def label(self, name):
            return name

    class UnaryExpression(ColumnElement):
        def __init__(self, element):
            self.element = element
    """
    assert run_check("ARC202", source) == []
    # The twin: two more layers with an interface of their own make the chain four deep.
    deeper = source + """
    class Distinct(UnaryExpression):
        def distinct(self):
            return self

    class DistinctOn(Distinct):
        def on(self, *columns):
            return self
    """
    findings = run_check("ARC202", deeper)
    assert [f.data["chain"][-1].rsplit(".", 1)[-1] for f in findings] == ["ClauseElement"]


def test_an_interface_by_convention_is_not_a_level():
    # Flask-AppBuilder's AbstractViewApi: annotations and methods whose bodies are ``...``.
    source = """
    class ViewApi:
        endpoint: str

        def create_blueprint(self, appbuilder):
            ...

        def get_inner_views(self):
            \"\"\"The views to initialise.\"\"\"

    class BaseView(ViewApi):
        def __init__(self):
            self.endpoint = "x"

    class BaseApi(BaseView):
        def response(self, code):
            return code

    class ModelApi(BaseApi):
        def get(self, pk):
            return pk

    class RoleApi(ModelApi):
        def roles(self):
            return []
    """
    assert run_check("ARC202", source) == []
    # One more concrete level, and the chain of our own code is four deep.
    deeper = source + """
    class AdminRoleApi(RoleApi):
        def admins(self):
            return []
    """
    assert [f.data["chain"][-1].rsplit(".", 1)[-1] for f in run_check("ARC202", deeper)] == ["BaseView"]
