from registration.bootstrap import build
from schakel.runtime.service import run

run("registration", build)
