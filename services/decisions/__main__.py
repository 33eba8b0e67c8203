from decisions.bootstrap import build
from schakel.runtime.service import run

run("decisions", build)
