from schakel.runtime.service import run

from income.bootstrap import build

run("income", build)
