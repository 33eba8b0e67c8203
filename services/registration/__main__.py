from schakel.runtime.service import run

from registration.bootstrap import build

run("registration", build)
