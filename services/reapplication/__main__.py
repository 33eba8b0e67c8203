from reapplication.bootstrap import build
from schakel.runtime.service import run

run("reapplication", build)
