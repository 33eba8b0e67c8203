from income.bootstrap import build
from schakel.runtime.service import run

run("income", build)
