"""One table of secret spellings and their look-alikes, read by ARC701's tests
(tests/analysis/test_secret_shapes.py) and the redactor's (tests/advisor/test_redaction_shapes.py).

A row: the shape's name, the text, how the text is given to the redactor (``code``, ``config``
or ``question``), the secret pieces (must be gone after redaction; empty for a look-alike, whose
``kept`` pieces must survive verbatim) and what ARC701 says (``None`` where the text is not Python).
Vendor-format values are assembled here at run time: a committed literal would trip secret scanners.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    shape: str
    text: str
    mode: str  # code | config | question
    secrets: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    arc701: int | None = None
    """ARC701 findings expected (None: not Python, ARC701 does not apply)."""
    arc702: int = 0
    """ARC702 findings expected (a value judged by its name, a shape without a vendor; Python only)."""
    path: str | None = None
    """The module's workspace path when it matters (tests are judged differently)."""

    @property
    def id(self) -> str:
        return self.shape.replace(" ", "-")


STRIPE_TAIL = "4eC39HqLyjWDarjtT1zdp7dc"
STRIPE_PREFIX = "sk_" + "live_"
AWS_ID = "AKIA" + "Q3EGRIWLTF6ZJ4MX"
AWS_SECRET = "h8Zq/2LxP0vN7tYw4Kb6M" + "z1Rc9Ts3Uu5Vw8Xy0Za"
SLACK_HOOK = "https://hooks.slack.com/services/" + "T0A1B2C3D/B4E5F6G7H/q8Zr2LxP0vN7tYw4Kb6MzR1c"
BASIC = "YWRtaW46UzNjdXJlIVBhc3M="  # admin:S3cure!Pass
UUID = "123e4567-e89b-12d3-a456-426614174000"
GIT_SHA = "3f786850e387550fdab836ed7e6dc881de23001b"

MISSES: tuple[Case, ...] = (
    Case("yaml password unquoted with spaces", "database:\n  password: Hunter2 Prod x\n  host: db\n", "config",
         secrets=("Hunter2 Prod x",), kept=("password:", "host: db")),
    Case("yaml pass key", "smtp:\n  pass: s3cr3t-Pw\n", "config", secrets=("s3cr3t-Pw",), kept=("pass:",)),
    Case("dotenv DB_PASS", "DB_USER=app\nDB_PASS=hunter2-prod\n", "config", secrets=("hunter2-prod",),
         kept=("DB_USER=app", "DB_PASS=")),
    Case("dotenv auth with a credential", "PROXY_AUTH=admin:Zx9-kLm2Qp\n", "config", secrets=("Zx9-kLm2Qp",)),
    Case("toml password with spaces", '[database]\npassword = "Hunter2 Prod x"\n', "config",
         secrets=("Hunter2 Prod x",), kept=("[database]",)),
    Case("ini pass with spaces", "[smtp]\npass = hunter two prod\nport = 25\n", "config",
         secrets=("hunter two prod",), kept=("port = 25",)),
    Case("json db_pass", '{"db_pass": "hunter2", "db_user": "app"}\n', "config", secrets=("hunter2",),
         kept=('"db_user": "app"',)),
    Case("python db_pass strong", 'db_pass = "Xk9#mP2$vLq"\n', "code", secrets=("Xk9#mP2$vLq",), arc701=0, arc702=1),
    Case("python db_pass weak (redacted, too weak to report)", 'DB_PASS = "hunter2"\n', "code",
         secrets=("hunter2",), arc701=0),
    Case("python auth random", 'auth = "Zq8W2eR5tY7uI9oP1aSd"\n', "code", secrets=("Zq8W2eR5tY7uI9oP1aSd",),
         arc701=0, arc702=1),
    Case("aws secret key in a tuple", f'CREDENTIALS = ("{AWS_ID}", "{AWS_SECRET}")\n', "code",
         secrets=(AWS_ID, AWS_SECRET), kept=("CREDENTIALS = (",), arc701=2),
    Case("aws secret key passed beside its id", f'client = boto3.client(\n    "s3",\n    "{AWS_ID}",\n    "{AWS_SECRET}",\n)\n',
         "code", secrets=(AWS_ID, AWS_SECRET), kept=('"s3"',), arc701=2),
    Case("aws pair in a credentials file", f"[default]\naws_access_key_id = {AWS_ID}\naws_secret_access_key = {AWS_SECRET}\n",
         "config", secrets=(AWS_ID, AWS_SECRET), kept=("[default]",)),
    Case("sk_live_ concatenated", f'STRIPE_KEY = "{STRIPE_PREFIX}" + "{STRIPE_TAIL}"\n', "code",
         secrets=(STRIPE_TAIL,), kept=("STRIPE_KEY = ",), arc701=1),
    Case("sk_live_ split over implicit concatenation", f'KEY = (\n    "{STRIPE_PREFIX}4eC39HqLy"\n    "jWDarjtT1zdp7dc"\n)\n',
         "code", secrets=("jWDarjtT1zdp7dc", "4eC39HqLy"), arc701=1),
    Case("slack webhook", f'ALERTS = "{SLACK_HOOK}"\n', "code", secrets=(SLACK_HOOK.rsplit("/", 1)[1],), arc701=1),
    Case("slack webhook in yaml", f"alerts:\n  webhook: {SLACK_HOOK}\n", "config", secrets=(SLACK_HOOK.rsplit("/", 1)[1],)),
    Case("dsn percent-encoded", 'DATABASE_URL = "postgresql+psycopg://user:pa%23ss@host/db"\n', "code",
         secrets=("pa%23ss",), kept=("postgresql+psycopg://user:***@host/db",), arc701=1),
    Case("dsn beside a redacted DB_PASSWORD", 'URL = "postgresql+psycopg://user:pa%23ss@host/db"\nDB_PASSWORD = "Pa#ss-2024"\n',
         "code", secrets=("pa%23ss", "Pa#ss-2024"), kept=("user:***@host/db",), arc701=1, arc702=1),
    Case("redis url with empty user", 'CACHE = "redis://:S3cretPw9@cache:6379/0"\n', "code", secrets=("S3cretPw9",),
         kept=("redis://:***@cache:6379/0",), arc701=1),
    Case("https url with a password", 'REPO = "https://deploy:gh0st-Rider@git.internal/repo.git"\n', "code",
         secrets=("gh0st-Rider",), kept=("https://deploy:***@git.internal/repo.git",), arc701=0, arc702=1),
    Case("basic auth header", f'HEADERS = {{"Authorization": "Basic {BASIC}"}}\n', "code", secrets=(BASIC,), arc701=0,
         arc702=1),
    # Documentation (issue 21): a chosen password in EXAMPLES or a docstring is still a leak; an
    # illustrative one is masked for the chat (cheap) but not reported.
    Case("chosen dsn password in an EXAMPLES constant", 'EXAMPLES = r"""\n  - uri: mysql://app:Zx9-kLm2Qp77@db/prod\n'
         '    name: nightly report\n"""\n', "code", secrets=("Zx9-kLm2Qp77",), kept=("name: nightly report",), arc701=1),
    Case("chosen url password in a docstring", 'def sync():\n    """Pull from https://deploy:gh0st-Rider9@git.internal/repo.git '
         'every night."""\n', "code", secrets=("gh0st-Rider9",), arc701=0, arc702=1),
    Case("escaping example and host list in a docstring (redacted, not reported)",
         'def connect():\n    """Escape it: mssql+pyodbc://scott:tiger^5HHH@mssql2017:1433/test\n'
         '    or list hosts: https://foo.com:123,foo:bar@bar.com/path\n    """\n', "code",
         secrets=("tiger^5HHH",), kept=("Escape it:", "or list hosts:"), arc701=0),
    Case("illustrative dsn in an EXAMPLES constant (redacted, not reported)",
         'EXAMPLES = r"""\n  - uri: postgresql://scott:tiger@localhost/test\n    name: the tutorial\n"""\n', "code",
         secrets=("tiger",), kept=("name: the tutorial",), arc701=0),
    Case("question KEY=value", "Why does login fail with DB_PASS=hunter2 on staging?", "question",
         secrets=("hunter2",), kept=("DB_PASS=", "on staging?")),
    Case("question quoted KEY=value", 'I exported API_TOKEN="abc 123" and DB_PASS=`hunter2` on staging', "question",
         secrets=("abc 123", "hunter2"), kept=("on staging",)),
    Case("question password: x", "The service uses password: Tr0ub4dor, is that OK?", "question",
         secrets=("Tr0ub4dor",), kept=("is that OK?",)),
    Case("question my password is", "my password is hunter2. Should it live in Vault?", "question",
         secrets=("hunter2",), kept=("Should it live in Vault?",)),
    Case("question dsn", "Can I keep postgresql://app:pa%23ss@db/prod in settings.py?", "question",
         secrets=("pa%23ss",), kept=("postgresql://app:***@db/prod",)),
)

LOOK_ALIKES: tuple[Case, ...] = (
    Case("base64 json page token", 'EXAMPLE = {"next_page_token": "eyJwYWdlIjogMiwgInNpemUiOiA1MH0="}\n', "code",
         kept=("eyJwYWdlIjogMiwgInNpemUiOiA1MH0=",), arc701=0),
    Case("base64 json page token urlsafe", 'page_token = "eyJvZmZzZXQiOjIwLCJsaW1pdCI6MTB9"\n', "code",
         kept=("eyJvZmZzZXQiOjIwLCJsaW1pdCI6MTB9",), arc701=0),
    Case("base64 json page token in yaml", "next_page_token: eyJwYWdlIjogMiwgInNpemUiOiA1MH0=\n", "config",
         kept=("eyJwYWdlIjogMiwgInNpemUiOiA1MH0=",)),
    Case("constant equal to its name", 'FOO_TOKENS = "foo_tokens"\n', "code", kept=('"foo_tokens"',), arc701=0),
    Case("identifier with an acronym", 'opts = {"key": "FFmpegExtractAudio"}\n',
         "code", kept=('"FFmpegExtractAudio"',), arc701=0),
    # A mode name whose words include a numeronym (m2m, k8s, i18n): mlflow's provider table.
    Case("auth mode with a numeronym", 'CONFIG = {"runtime_auth": "databricks_oauth_m2m"}\n',
         "code", kept=('"databricks_oauth_m2m"',), arc701=0),
    Case("constant naming another secret", 'TOKEN_SETTING = "access_token"\nsecret = "client_secret"\n', "code",
         kept=('"access_token"', '"client_secret"'), arc701=0),
    Case("password field name", 'password_field = "password"\n', "code", kept=('"password"',), arc701=0),
    Case("auth header name", 'auth_header = "Authorization"\n', "code", kept=('"Authorization"',), arc701=0),
    Case("auth scheme", 'auth = "bearer"\nAUTH_MODE = "oauth2"\n', "code", kept=('"bearer"', '"oauth2"'), arc701=0),
    Case("auth scheme in yaml", "auth: basic\nproxy_auth: none\n", "config", kept=("auth: basic", "proxy_auth: none")),
    Case("url without a password", 'API = "https://api.service.test/v1/users"\nDB = "postgresql://user@host/db"\n',
         "code", kept=("https://api.service.test/v1/users", "postgresql://user@host/db"), arc701=0),
    Case("placeholder url passwords", 'A = "http://user:password@www.acme.com:9000/dir"\nB = "mysql://root:pass@localhost/db"\n'
         'C = "amqp://guest:secret@broker//"\nD = "redis://:passwd1@cache:6379/0"\n', "code",
         kept=("user:password@", "root:pass@", "guest:secret@", ":passwd1@"), arc701=0),
    Case("placeholder url password in EXAMPLES", 'EXAMPLES = r"""\n    parts: \'{{ "http://user:password@www.acme.com:9000/'
         'dir/index.html?query=term#fragment" | urlsplit }}\'\n"""\n', "code", kept=("user:password@",), arc701=0),
    Case("dsn with an empty password", 'DB = "postgresql://user:@host/db"\n', "code",
         kept=("postgresql://user:@host/db",), arc701=0),
    Case("placeholder dsns", 'A = "postgresql://user:${DB_PASSWORD}@host/db"\n'
         'B = "postgresql://%(user)s:%(password)s@%(host)s/db"\nC = "postgresql://{user}:{password}@host/db"\n'
         'D = "mysql://root:%s@localhost/test"\n', "code",
         kept=("${DB_PASSWORD}@host", "%(password)s@", "{password}@host", "root:%s@"), arc701=0),
    Case("git sha", f'COMMIT = "{GIT_SHA}"\nRELEASE = {{"sha": "{GIT_SHA}"}}\n', "code",
         kept=(GIT_SHA,), arc701=0),
    Case("uuid in a test", f'ORDER_ID = "{UUID}"\nidempotency_key = "{UUID}"\n', "code", kept=(UUID,), arc701=0,
         path="tests/test_orders.py"),
    Case("40 base64 characters with no access key id near", f'CHECKSUM = "{AWS_SECRET}"\n', "code",
         kept=(AWS_SECRET,), arc701=0),
    Case("placeholders and environment lookups", 'DB_PASSWORD = "changeme"\nSECRET_KEY = os.environ["SECRET_KEY"]\n'
         'API_KEY = ""\nTOKEN_ENV = "GITHUB_TOKEN"\napi_key = API_KEY\n', "code",
         kept=('"changeme"', 'os.environ["SECRET_KEY"]', '"GITHUB_TOKEN"', "api_key = API_KEY"), arc701=0),
    Case("placeholders in configuration", "DB_PASSWORD=changeme\nSECRET_KEY=${APP_SECRET}\nAPI_TOKEN=\n", "config",
         kept=("DB_PASSWORD=changeme", "SECRET_KEY=${APP_SECRET}")),
    Case("docstring argument description", 'def login(password):\n    """Args:\n        password: The password to check.\n    """\n',
         "code", kept=("password: The password to check.",), arc701=0),
    Case("annotations and keyword references", "password: str\ntoken: str | None = None\nconnect(password=password)\n",
         "code", kept=("password: str", "token: str | None", "connect(password=password)"), arc701=0),
    Case("question about secrets without one", "Token: where should it be stored? And what is the password policy?",
         "question", kept=("Token: where should it be stored? And what is the password policy?",)),
    Case("question naming a scheme", "Should auth=bearer stay, and is the token expired?", "question",
         kept=("auth=bearer", "is the token expired?")),
)

CASES = MISSES + LOOK_ALIKES
