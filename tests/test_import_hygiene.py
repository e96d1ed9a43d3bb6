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
