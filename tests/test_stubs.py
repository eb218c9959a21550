"""The .pyi stubs of the compiled kernels match their compiled signatures.

Each stub is parsed with ``ast``; every public function it declares must exist in the compiled
module with the same parameter names, order, kinds and defaults-or-not (the kernels are built
with ``embedsignature``, so ``inspect.signature`` reads them), and every public function of the
compiled module must be declared in its stub.
"""
import ast
import importlib
import inspect
import pathlib

import pytest

import resamplekit._kernels as kernels_pkg

KERNEL_DIR = pathlib.Path(kernels_pkg.__file__).parent
MODULES = sorted(p.stem for p in KERNEL_DIR.glob("*.pyx"))

pytestmark = pytest.mark.kernel


def _stub_signatures(path):
    """{name: [(param name, has default)]} of the functions declared in a .pyi file."""
    tree = ast.parse(path.read_text())
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            a = node.args
            params = a.posonlyargs + a.args
            n_plain = len(params) - len(a.defaults)
            sig = [(p.arg, i >= n_plain) for i, p in enumerate(params)]
            sig += [(p.arg, d is not None) for p, d in zip(a.kwonlyargs, a.kw_defaults)]
            out[node.name] = sig
    return out


def _compiled_signatures(module):
    out = {}
    for name, obj in vars(module).items():
        if name.startswith("_") or not callable(obj):
            continue
        if getattr(obj, "__module__", None) != module.__name__:
            continue
        sig = inspect.signature(obj)
        out[name] = [(p.name, p.default is not inspect.Parameter.empty)
                     for p in sig.parameters.values()]
    return out


def test_every_kernel_module_has_a_stub():
    assert MODULES, "no kernel sources found"
    missing = [m for m in MODULES if not (KERNEL_DIR / f"{m}.pyi").exists()]
    assert not missing


@pytest.mark.parametrize("name", MODULES)
def test_stub_matches_compiled_signatures(name):
    module = importlib.import_module(f"resamplekit._kernels.{name}")
    stub = _stub_signatures(KERNEL_DIR / f"{name}.pyi")
    compiled = _compiled_signatures(module)
    assert compiled, f"{name}: no public function found"
    assert sorted(stub) == sorted(compiled), f"{name}: functions differ"
    for fn, params in compiled.items():
        assert stub[fn] == params, f"{name}.{fn}: stub {stub[fn]} != compiled {params}"
