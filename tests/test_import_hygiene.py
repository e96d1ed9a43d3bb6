"""The core stays pure: importing every core module pulls in no Textual and no AWS SDK."""

import pkgutil
import subprocess
import sys

import kojan_tui.core


def test_core_imports_no_textual_and_no_aws_sdk():
    modules = [f"kojan_tui.core.{m.name}" for m in pkgutil.iter_modules(kojan_tui.core.__path__)]
    assert len(modules) >= 4
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'aiobotocore', 'botocore', 'boto3', 'moto'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"core pulled in: {result.stdout.strip()}"


def test_no_import_cycle_in_the_package():
    """No module imports (directly or through others) a module that imports it back."""
    import grimp

    graph = grimp.build_graph("kojan_tui", exclude_type_checking_imports=True)
    cycles = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported == module or not imported.startswith("kojan_tui"):
                continue
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None:
                cycles.append(" → ".join((module, *back)))
    assert cycles == [], "import cycles:\n" + "\n".join(cycles)
