from schakel.runtime.service import run

from reapplication.bootstrap import build

run("reapplication", build)
