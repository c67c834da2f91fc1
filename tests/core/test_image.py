"""The container image and docker-compose.yml read together, as Docker reads them.

No Docker daemon runs here, so the image is not built; instead the Dockerfile is parsed into its
stages and instructions (continuation lines joined, comments dropped, shell words split) and the
compose file is loaded as YAML. The tests check the contracts between the two files and the
project: the stages the build copies from exist, the Python of the image is one the project
supports, and every named volume compose mounts into the image is a folder the image creates and
hands to the user it runs as (an empty named volume takes the ownership of the image's folder, so
a folder the image lacks is mounted root-owned and uploads or beat's schedule cannot be written).
"""

from __future__ import annotations

import operator
import re
import shlex
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent


def dockerfile_stages(text: str) -> list[dict]:
    """[{"base", "name", "steps": [(INSTRUCTION, args)]}] in build order."""
    logical, buf = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#") or (not line and not buf):
            continue
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        logical.append(buf + line)
        buf = ""
    stages: list[dict] = []
    for instruction in logical:
        op, _, args = instruction.partition(" ")
        if op.upper() == "FROM":
            words = args.split()
            name = words[2] if len(words) == 3 and words[1].lower() == "as" else None
            stages.append({"base": words[0], "name": name, "steps": []})
        else:
            stages[-1]["steps"].append((op.upper(), args.strip()))
    return stages


def shell_commands(run_args: str, env: dict) -> list[list[str]]:
    """The commands of a RUN (split on &&), each as its words with ${VAR}/$VAR expanded from ENV."""
    out = []
    for part in run_args.split("&&"):
        words = shlex.split(part)
        words = [
            re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), m.group(0)), w) for w in words
        ]
        while words and "=" in words[0] and not words[0].startswith("-"):  # VAR=value prefixes
            words = words[1:]
        if words:
            out.append(words)
    return out


def image_env(stage: dict) -> dict:
    env = {}
    for op, args in stage["steps"]:
        if op == "ENV":
            env.update(dict(pair.split("=", 1) for pair in shlex.split(args)))
    return env


STAGES = dockerfile_stages((ROOT / "Dockerfile").read_text())
FINAL = STAGES[-1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
APP_SERVICES = {name: s for name, s in COMPOSE["services"].items() if s.get("build") == "."}


def test_the_build_copies_only_from_stages_it_declares_and_runs_a_python_the_project_supports():
    names = [s["name"] for s in STAGES]
    for i, stage in enumerate(STAGES):
        for op, args in stage["steps"]:
            if op == "COPY" and args.startswith("--from="):
                source = args.split()[0].removeprefix("--from=")
                assert source in names[:i], (
                    f"COPY --from={source}: no earlier stage of that name ({names[:i]})"
                )
    assert any(op == "RUN" and "npm ci" in args for op, args in STAGES[0]["steps"])
    python = re.match(r"python:(\d+)\.(\d+)", FINAL["base"])
    assert python, FINAL["base"]
    version = tuple(int(x) for x in python.groups())
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    ops = {
        ">=": operator.ge,
        "<": operator.lt,
        "<=": operator.le,
        ">": operator.gt,
        "==": operator.eq,
    }
    for clause in requires.split(","):
        op, number = re.match(r"\s*(>=|<=|==|<|>)\s*([\d.]+)", clause).groups()
        assert ops[op](version, tuple(int(x) for x in number.split(".")[:2])), (
            FINAL["base"],
            requires,
        )


def test_every_named_volume_compose_mounts_is_made_and_owned_by_the_images_user_before_user():
    env = image_env(FINAL)
    user_steps = [i for i, (op, _args) in enumerate(FINAL["steps"]) if op == "USER"]
    assert user_steps, "the image runs as root"
    user = FINAL["steps"][user_steps[-1]][1]
    assert user not in ("root", "0")
    created, owned = set(), set()
    for op, args in FINAL["steps"][: user_steps[-1]]:  # what runs as root, before USER
        if op != "RUN":
            continue
        for words in shell_commands(args, env):
            if words[:2] == ["mkdir", "-p"]:
                created.update(words[2:])
            if words[:2] == ["chown", "-R"] and words[2].split(":")[0] == user:
                owned.update(words[3:])
    named = set(COMPOSE["volumes"])
    mounts = {}
    for name, service in APP_SERVICES.items():
        for volume in service.get("volumes", []):
            source, target = volume.split(":")[:2]
            if source in named:
                mounts[target] = name
    assert mounts, "compose mounts no named volume into the portal's image"
    for target, service in mounts.items():
        assert target in created, (
            f"{service} mounts a named volume on {target}, which the image does not create"
        )
        assert any(target == d or target.startswith(d.rstrip("/") + "/") for d in owned), (
            f"{service}: {target} is not handed to {user} before USER {user}"
        )


def test_the_processes_write_into_the_mounted_volumes():
    mounts = {
        v.split(":")[1]
        for s in APP_SERVICES.values()
        for v in s.get("volumes", [])
        if v.split(":")[0] in COMPOSE["volumes"]
    }

    def mounted(path: str) -> bool:
        return any(path == m or path.startswith(m + "/") for m in mounts)

    media = APP_SERVICES["web"]["environment"]["MEDIA_ROOT"]
    assert mounted(media), media
    beat = APP_SERVICES["beat"]["command"]
    assert mounted(beat[beat.index("-s") + 1]), beat


def test_the_database_password_is_passed_apart_from_the_url_and_is_the_databases_own():
    env = APP_SERVICES["web"]["environment"]
    assert urlsplit(env["DATABASE_URL"]).password is None
    db_password = COMPOSE["services"]["db"]["environment"]["POSTGRES_PASSWORD"]
    assert env["DATABASE_PASSWORD"] == db_password and db_password.startswith("${POSTGRES_PASSWORD")
