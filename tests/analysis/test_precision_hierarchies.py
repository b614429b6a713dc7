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


# -- third reading: a capability mixin known by its shape, not its name (scikit-learn) --------

# An estimator chain three levels deep whose root mixes in two helpers: one named as a mixin and
# one that is not (``_MetadataRequester``), but is shaped like one: no base of its own, no
# constructor, nothing stored on ``self``; it lends methods to whatever it is mixed into.
ESTIMATORS = """
class _DocLinkMixin:
    def _doc_link(self):
        return "https://example.invalid/" + type(self).__name__


class _MetadataRequester:
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        setattr(cls, "_requests", {})

    def get_metadata_routing(self):
        return dict(type(self)._requests)

    def _get_metadata_request(self):
        return getattr(self, "_metadata_request", None)


class BaseEstimator(_DocLinkMixin, _MetadataRequester):
    def get_params(self):
        return dict(vars(self))


class EmpiricalCovariance(BaseEstimator):
    def __init__(self, store_precision=True):
        self.store_precision = store_precision

    def fit(self, X):
        self.covariance_ = X
        return self


class MinCovDet(EmpiricalCovariance):
    def fit(self, X):
        self.support_ = X
        return super().fit(X)


class EllipticEnvelope(MinCovDet):
    def predict(self, X):
        return X
"""


def test_a_stateless_helper_mixed_in_beside_another_base_is_not_a_level():
    assert run_check("ARC202", ESTIMATORS) == []


def test_a_helper_that_keeps_state_on_self_is_a_level():
    # The twin: the same helper storing its table on the instance is a class with state of its
    # own, and the chain is four levels deep.
    stateful = ESTIMATORS.replace(
        'return getattr(self, "_metadata_request", None)',
        'self._metadata_request = {}\n        return self._metadata_request')
    findings = run_check("ARC202", stateful)
    assert [f.message.split("`")[1] for f in findings] == ["EllipticEnvelope"]
    assert findings[0].data["chain"][-1].rsplit(".", 1)[-1] == "_MetadataRequester"
    # setattr on the instance and an augmented assignment are state too.
    for storing in ('setattr(self, "_metadata_request", {})\n        return None',
                    'self.calls += 1\n        return None'):
        variant = ESTIMATORS.replace('return getattr(self, "_metadata_request", None)', storing)
        assert [f.message.split("`")[1] for f in run_check("ARC202", variant)] == ["EllipticEnvelope"], storing


def test_a_stateless_class_as_the_only_base_is_still_a_level():
    # The twin: listed alone, the same class is the parent a reader walks through.
    alone = ESTIMATORS.replace("class BaseEstimator(_DocLinkMixin, _MetadataRequester):",
                               "class BaseEstimator(_MetadataRequester):")
    findings = run_check("ARC202", alone)
    assert [f.message.split("`")[1] for f in findings] == ["EllipticEnvelope"]
    assert len(findings[0].data["chain"]) == 4


# -- fourth reading: empty leaves and chains of command mixins (redis) -------------------------

# Four levels of classes with state; a leaf that only combines one more mixin with the deepest
# class and has nothing but a docstring adds nothing to read.
COMBINED_LEAF = """
class Connection:
    def __init__(self):
        self.socket = None

    def send(self, *args):
        return args


class Client(Connection):
    def __init__(self):
        super().__init__()
        self.pool = None

    def execute(self, *args):
        return args


class Cluster(Client):
    def __init__(self):
        super().__init__()
        self.nodes = []

    def route(self, key):
        return key


class Pipeline(Cluster):
    def __init__(self):
        super().__init__()
        self.stack = []

    def queue(self, *args):
        self.stack.append(args)


class JsonCommands:
    def json_get(self, key):
        return self.execute("JSON.GET", key)


class JsonPipeline(JsonCommands, Pipeline):
    \"\"\"A pipeline with the JSON commands.\"\"\"
"""


def test_an_empty_leaf_is_not_where_a_depth_finding_lands():
    assert run_check("ARC202", COMBINED_LEAF) == []
    # The same for a leaf that only sets class attributes, and under the existing deep chain the
    # finding stays on the deepest class with code of its own.
    settings = COMBINED_LEAF.replace('    \"\"\"A pipeline with the JSON commands.\"\"\"', "    is_async = False")
    assert run_check("ARC202", settings) == []
    below = OWN_CHAIN + '\n\nclass GuestHandler(UserHandler):\n    """Nothing of its own."""\n'
    assert [f.message.split("`")[1] for f in run_check("ARC202", below)] == ["UserHandler"]


def test_a_leaf_with_code_of_its_own_is_still_reported():
    # The twin: a method of its own makes the leaf a class to read, four levels deep.
    source = COMBINED_LEAF.replace('    \"\"\"A pipeline with the JSON commands.\"\"\"',
                                   "    def json_set(self, key, value):\n        return self.queue(key, value)")
    findings = run_check("ARC202", source)
    assert [f.message.split("`")[1] for f in findings] == ["JsonPipeline"]
    assert [name.rsplit(".", 1)[-1] for name in findings[0].data["chain"]] == ["Pipeline", "Cluster", "Client", "Connection"]


# Command classes that only call ``self.execute_command``: each derives from a protocol or from
# another command class, none has a constructor or stores anything on ``self``. Bundled and
# mixed into a client beside its stateful base, they lend commands; they are not levels.
COMMAND_MIXINS = """
from typing import Protocol


class CommandRunner(Protocol):
    def execute_command(self, *args): ...


class BasicKeyCommands(CommandRunner):
    def get(self, key):
        return self.execute_command("GET", key)


class HashCommands(CommandRunner):
    def hget(self, name, key):
        return self.execute_command("HGET", name, key)


class DataAccessCommands(BasicKeyCommands, HashCommands):
    \"\"\"Every data access command.\"\"\"


class ClusterDataAccessCommands(DataAccessCommands):
    def mget(self, *keys):
        return self.execute_command("MGET", *keys)


class ModuleCommands:
    def json(self):
        return make_json(self)


class AsyncModuleCommands(ModuleCommands):
    def json(self):
        return make_async_json(self)


class ClusterCommands(ClusterDataAccessCommands, AsyncModuleCommands):
    \"\"\"Every cluster command.\"\"\"


class AbstractClient:
    def __init__(self):
        self.pool = None


class RedisCluster(AbstractClient, ClusterCommands):
    def __init__(self):
        super().__init__()
        self.nodes = []

    def execute_command(self, *args):
        return args


class ClusterPipeline(RedisCluster):
    def __init__(self):
        super().__init__()
        self.stack = []

    def execute(self):
        return self.stack


class SearchPipeline(ModuleCommands, ClusterPipeline):
    def __init__(self):
        super().__init__()
        self.index = "idx"

    def search(self, query):
        return self.execute_command("FT.SEARCH", self.index, query)
"""


def test_a_stateless_class_deriving_only_from_stateless_classes_is_a_mixin():
    assert run_check("ARC202", COMMAND_MIXINS) == []


def test_a_stateless_class_deriving_from_a_class_with_state_is_a_level():
    # The twin: the command classes derive from a connection that keeps state; they inherit it,
    # and the chain through them is five levels deep.
    stateful_root = COMMAND_MIXINS.replace(
        "class CommandRunner(Protocol):\n    def execute_command(self, *args): ...",
        "class CommandRunner:\n    def __init__(self):\n        self.connection = None\n\n"
        "    def execute_command(self, *args):\n        return self.connection.send(args)")
    findings = run_check("ARC202", stateful_root)
    assert [f.message.split("`")[1] for f in findings] == ["ClusterPipeline", "SearchPipeline"]
    assert findings[-1].data["chain"][-1].rsplit(".", 1)[-1] == "CommandRunner"
    # A command class that stores something on ``self`` keeps state of its own: a level, and so
    # is every stateless class deriving from it (ClusterDataAccessCommands, through the bundle).
    storing = COMMAND_MIXINS.replace('        return self.execute_command("GET", key)',
                                     '        self.last = key\n        return self.execute_command("GET", key)')
    findings = run_check("ARC202", storing)
    assert [f.message.split("`")[1] for f in findings] == ["SearchPipeline"]
    assert [name.rsplit(".", 1)[-1] for name in findings[0].data["chain"]] == [
        "ClusterPipeline", "RedisCluster", "ClusterDataAccessCommands", "BasicKeyCommands"]
