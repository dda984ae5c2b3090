"""The import graph of the project: no circles, apps depend one way, the plumbing imports no domain
app, and no module takes another's private names. See import_graph.py for how it is read."""

from pathlib import Path
from textwrap import dedent

import pytest

from .import_graph import (
    build,
    module_circles,
    package_circles,
    platform_imports_of_domain_apps,
    private_imports,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def graph():
    return build(ROOT)


def report(title: str, problems: list[str]) -> str:
    return f"{title} ({len(problems)}):\n" + "\n".join(problems)


def test_the_graph_reads_imports_inside_functions_too(graph):
    # certification/apps.py imports enterprises only inside `ready()`
    assert "analytics.selectors.overview" in graph.files
    assert any(
        found.source == "certification.apps" and found.target == "enterprises.certificates"
        for found in graph.imports
    )


RULES = [
    pytest.param(
        module_circles,
        "Import circles (a service queues a task by name instead of importing it)",
        id="no-circle-between-modules",
    ),
    pytest.param(
        package_circles,
        "Apps that import each other (make it run one way)",
        id="no-circle-between-apps",
    ),
    pytest.param(
        platform_imports_of_domain_apps,
        "agri_platform/ imports a domain app (name it by dotted string instead)",
        id="the-platform-imports-no-domain-app",
    ),
    pytest.param(
        private_imports,
        "Private names imported from another module",
        id="no-private-names-across-modules",
    ),
]


@pytest.mark.parametrize(("rule", "advice"), RULES)
def test_the_project_keeps_the_rule(graph, rule, advice):
    problems = rule(graph)
    assert not problems, report(advice, problems)


# --- the checks themselves, on small packages planted in tmp_path ---------------------------------


def plant(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text))
    return root


def test_a_planted_circle_through_an_import_inside_a_function_is_found(tmp_path):
    root = plant(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/cache.py": "def warm():\n    from .tasks import refill\n",
            "shop/tasks.py": "from shop import selectors\n",
            "shop/selectors.py": "from . import cache\n",
            "shop/views.py": "from .selectors import cache\n",  # no circle through views
        },
    )
    problems = module_circles(build(root))
    assert len(problems) == 1
    assert "shop/cache.py ↔ shop/selectors.py ↔ shop/tasks.py" in problems[0]
    assert "shop/cache.py:2 imports shop.tasks" in problems[0]
    assert "views" not in problems[0]


def test_a_planted_circle_between_apps_is_found_without_a_module_circle(tmp_path):
    root = plant(
        tmp_path,
        {
            "orders/__init__.py": "",
            "orders/models.py": "",
            "orders/filters.py": "from billing.selectors import paid\n",
            "billing/__init__.py": "",
            "billing/selectors.py": "import orders.models\n",
        },
    )
    graph = build(root)
    assert module_circles(graph) == []
    [problem] = package_circles(graph)
    assert "billing ↔ orders" in problem
    assert "orders/filters.py:1 imports billing.selectors" in problem


def test_the_platform_importing_a_domain_app_is_found_but_a_dotted_string_is_not(tmp_path):
    root = plant(
        tmp_path,
        {
            "agri_platform/__init__.py": "",
            "agri_platform/urls.py": 'ROUTES = ["shop.urls"]\n',
            "agri_platform/health.py": "def check():\n    from shop.models import Order\n",
            "shop/__init__.py": "",
            "shop/models.py": "from agri_platform import health\n",
        },
    )
    problems = platform_imports_of_domain_apps(build(root))
    assert problems == ["agri_platform/health.py:2 imports the domain app module shop.models"]


def test_a_private_name_taken_from_another_module_is_found(tmp_path):
    root = plant(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/services.py": "def _safe_delay(): ...\ndef __getattr__(name): ...\n",
            "shop/webhooks.py": "from .services import _safe_delay, __getattr__\n",
            "shop/views.py": "from os import _exit\n",  # third-party privacy is not ours to check
        },
    )
    problems = private_imports(build(root))
    assert problems == [
        "shop/webhooks.py:1 imports the private name _safe_delay from shop.services"
    ]
