from schakel.runtime.service import run

from decisions.bootstrap import build

run("decisions", build)
