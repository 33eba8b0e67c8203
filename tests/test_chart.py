"""The Helm chart (deploy/helm/schakel): rendered by Helm itself, every object valid against the
Kubernetes schemas offline (kubernetes-validate, strict: no unknown field), every setting a
service reads in production provided, and each part reaching only what it needs. Integration
tier: the first run builds Helm from its Go module (deploy/helm.py)."""

import importlib
import json
import tomllib
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
import yaml

from deploy import helm
from deploy.services import CONSOLE_PORT, SERVICES
from schakel.messaging.acls import CONSOLE, service_principal
from schakel.runtime import PlatformSettings

pytestmark = pytest.mark.integration

COMPONENTS = [*SERVICES, "console"]
# what the services read that a production deployment leaves unset, and why
NOT_IN_PRODUCTION = {
    "SCHAKEL_TODAY": "fixes the date for development and tests; refused in production",
    "SCHAKEL_DATA_DIR": "where the SQLite files go; production uses PostgreSQL",
    "SCHAKEL_KAFKA_CERT_FILE": "a client certificate (mutual TLS) instead of SCRAM; the chart uses SCRAM",
    "SCHAKEL_KAFKA_KEY_FILE": "the key of that client certificate",
    "DECISIONS_WEBHOOK_LOKAAL_TOESTAAN": "plain http and loopback receivers; development only",
}
# what the referenced Secrets hold, for building the settings as a pod would
SECRETS = {
    "SCHAKEL_KAFKA_PASSWORD": "a-password-from-the-platform",
    "SCHAKEL_PSEUDONYM_KEY": "a-real-key-from-the-vault-0123456789",
    "SCHAKEL_BRP_API_KEY": "a-brp-api-key",
    "DECISIONS_WEBHOOK_SLEUTEL": "w6h8gLtF0n4D5f8WcqkO2yq3Q6mB0KqfJpOZr3n7s5M=",
}


VALUES = yaml.safe_load((helm.CHART / "values.yaml").read_text())
# what a production render must be given (the chart has no default for it)
OIN = "00000009999999999000"
PRODUCTION = ("--set-string", f"platform.SCHAKEL_OIN={OIN}")


def render(*arguments: str, release: str = "schakel") -> list[dict]:
    return [doc for doc in yaml.safe_load_all(helm.template(*PRODUCTION, *arguments, release=release)) if doc]


@pytest.fixture(scope="module")
def objects() -> list[dict]:
    return render()


def of_kind(objects: list[dict], kind: str) -> dict[str, dict]:
    return {o["metadata"]["labels"]["app.kubernetes.io/component"]: o for o in objects if o["kind"] == kind}


def container(workload: dict) -> dict:
    [only] = workload["spec"]["template"]["spec"]["containers"]
    return only


def platform_settings(component: str) -> type[PlatformSettings]:
    """The platform's settings as the component builds them (the console: its own, without a key)."""
    return getattr(importlib.import_module(f"{component}.settings"), "Platform", PlatformSettings)


def settings_fields(component: str) -> set[str]:
    """The environment variables a component's settings classes read and use: not the pseudonym key
    where nothing is pseudonymised (the console), not the BRP's API key where the BRP is never asked
    (`brp: false`: the console)."""
    settings = importlib.import_module(f"{component}.settings").Settings
    prefix = settings.model_config["env_prefix"]
    unused = {"SCHAKEL_PSEUDONYM_KEY"} if not platform_settings(component).pseudonymises else set()
    unused |= {"SCHAKEL_BRP_API_KEY"} if not VALUES["services"][component]["brp"] else set()
    return {f"{prefix}{name}".upper() for name in settings.model_fields} | {
        f"SCHAKEL_{name}".upper() for name in PlatformSettings.model_fields
    } - unused


@pytest.mark.parametrize("arguments", [(), ("--set", "ingress.enabled=true")], ids=["default", "with-ingress"])
def test_every_object_is_valid_against_the_kubernetes_schemas(arguments):
    rendered = render(*arguments)
    assert {o["kind"] for o in rendered} >= {
        "Deployment",
        "Service",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "NetworkPolicy",
        "Job",
        "ServiceAccount",
    } | ({"Ingress"} if arguments else set())
    for o in rendered:
        try:
            kubernetes_validate.validate(o, helm.KUBERNETES, strict=True)
        except kubernetes_validate.ValidationError as error:
            pytest.fail(f"{o['kind']} {o['metadata']['name']}: {error.message} at {list(error.path)}")


def test_the_ingress_publishes_the_apis_and_the_console_s_page_not_the_metrics():
    """/metrics counts events per municipality exactly: for Prometheus inside the cluster only."""

    def published(ingress: dict, path: str) -> bool:
        for rule in ingress["spec"]["rules"]:
            for p in rule["http"]["paths"]:
                if p["path"] == path or (p["pathType"] == "Prefix" and path.startswith(p["path"].rstrip("/") + "/")):
                    return True
        return False

    ingresses = of_kind(render("--set", "ingress.enabled=true"), "Ingress")
    assert set(ingresses) == set(COMPONENTS)
    for component, ingress in ingresses.items():
        assert published(ingress, "/api/v1/openapi.json") and published(ingress, "/api/v1/health/ready")
        assert not published(ingress, "/metrics") and not published(ingress, "/anything-else"), component
    assert all(published(ingresses["console"], p) for p in ("/", "/console.js", "/console.css"))
    assert not published(ingresses["decisions"], "/")


def test_every_setting_a_component_reads_is_provided_and_valid_in_production(objects, monkeypatch):
    for component, deployment in of_kind(objects, "Deployment").items():
        env = {e["name"]: e for e in container(deployment)["env"]}
        missing = settings_fields(component) - set(env) - set(NOT_IN_PRODUCTION)
        assert not missing, f"{component} reads {sorted(missing)}; the chart must provide them"
        assert not set(env) & set(NOT_IN_PRODUCTION), f"{component}: development settings in production"

        # the settings as the pod builds them, secrets filled in: production accepts them
        for name in settings_fields(component) | set(NOT_IN_PRODUCTION):
            monkeypatch.delenv(name, raising=False)
        for name, entry in env.items():
            secret = entry.get("valueFrom", {}).get("secretKeyRef")
            value = (
                "postgresql+asyncpg://schakel:geheim@db/schakel?ssl=verify-full"
                if name.endswith("_DATABASE_URL")
                else None
            )
            monkeypatch.setenv(name, entry["value"] if not secret else value or SECRETS[name])
        platform = platform_settings(component)()
        settings = importlib.import_module(f"{component}.settings").Settings()
        assert (platform.environment, platform.kafka_username, settings.host) == (
            "production",
            CONSOLE if component == "console" else service_principal(component),  # the ACLs' principals
            "0.0.0.0",
        )
        if component != "console":
            settings.refuse_development_secrets(platform)
            assert settings.database(component, platform).startswith("postgresql+asyncpg://")
            assert settings.port == SERVICES[component]
        else:
            assert settings.port == CONSOLE_PORT
            assert set(settings.diensten) == set(SERVICES)


def test_the_console_reads_every_pod_of_each_service_ready_or_not(objects):
    """Through a headless Service per service: its name has an address per pod, so a counter is the
    sum over the pods and one that is not ready shows; a ClusterIP name would reach one at random.
    The API it asks (subscriptions, figures) it asks through the Service, which picks a ready pod."""
    services = {o["metadata"]["name"]: o["spec"] for o in objects if o["kind"] == "Service"}
    deployments = of_kind(objects, "Deployment")
    env = {e["name"]: e.get("value") for e in container(deployments["console"])["env"]}
    diensten, instanties = json.loads(env["CONSOLE_DIENSTEN"]), json.loads(env["CONSOLE_INSTANTIES"])
    assert set(diensten) == set(instanties) == set(SERVICES)
    for service, [url] in instanties.items():
        pods = services[urlsplit(url).hostname]
        assert pods["clusterIP"] == "None" and pods["publishNotReadyAddresses"], service
        assert pods["selector"]["app.kubernetes.io/component"] == service
        [port] = container(deployments[service])["ports"]
        assert urlsplit(url).port == port["containerPort"], "a pod is reached at its container's port"
        assert "clusterIP" not in services[urlsplit(diensten[service]).hostname]


def test_a_long_release_name_still_gives_valid_service_names():
    objects = render(release="a" * 53)  # the longest release name Helm allows
    names = {o["metadata"]["name"] for o in objects if o["kind"] == "Service"}
    assert len(names) == 2 * len(SERVICES) + 1 and all(len(n) <= 63 for n in names), names
    env = {e["name"]: e.get("value") for e in container(of_kind(objects, "Deployment")["console"])["env"]}
    assert {urlsplit(url).hostname for [url] in json.loads(env["CONSOLE_INSTANTIES"]).values()} <= names


def test_probes_are_wired_to_the_health_endpoints(objects):
    for component, deployment in of_kind(objects, "Deployment").items():
        c = container(deployment)
        assert c["livenessProbe"]["httpGet"]["path"] == "/api/v1/health/live", component
        assert c["readinessProbe"]["httpGet"]["path"] == "/api/v1/health/ready", component
        assert c["resources"]["requests"] and c["resources"]["limits"], component
        assert c["securityContext"]["readOnlyRootFilesystem"] and not c["securityContext"]["allowPrivilegeEscalation"]


def test_a_stopping_pod_leaves_the_endpoints_first_and_has_time_to_finish_its_work(objects):
    """preStop, then the requests under way, the current batch and the outbox (the broker's timeout +
    5 s), a cancelled task's rollback (5 s): all within the grace period, or the kubelet kills what is
    still committing."""
    from schakel.runtime.service import REQUESTS_AT_STOP_SECONDS
    from schakel.runtime.settings import PlatformSettings

    broker = PlatformSettings.model_fields["kafka_timeout"].default
    for component, deployment in of_kind(objects, "Deployment").items():
        command = container(deployment)["lifecycle"]["preStop"]["exec"]["command"]
        assert command[0] == "sleep" and (pause := int(command[1])) >= 5, component
        grace = deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
        assert grace > pause + REQUESTS_AT_STOP_SECONDS + broker + 5 + 5, component


def test_migrations_run_as_hook_jobs_with_the_services_environment(objects):
    deployments = of_kind(objects, "Deployment")
    jobs = {name.removesuffix("-migrations"): job for name, job in of_kind(objects, "Job").items()}
    assert set(jobs) == set(SERVICES), "every service with a database, not the console"
    for service, job in jobs.items():
        assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
        assert container(job)["command"] == ["python", "-m", service, "migrate"]
        # the service's environment, without the secrets of what a migration never reaches
        unused = {"SCHAKEL_KAFKA_PASSWORD", "SCHAKEL_BRP_API_KEY"}
        assert container(job)["env"] == [e for e in container(deployments[service])["env"] if e["name"] not in unused]
        assert {e["name"]: e.get("value") for e in container(deployments[service])["env"]}[
            "SCHAKEL_MIGRATE_AT_START"
        ] == "false", "the job migrates, the service checks"


def test_a_migration_job_may_use_a_role_of_its_own():
    owner = {"name": "schakel-income-db-owner", "key": "url"}
    objects = render("--set-json", f"postgresql.migrationSecrets={json.dumps({'income': owner})}")
    deployments, jobs = of_kind(objects, "Deployment"), of_kind(objects, "Job")

    def database(workload: dict, service: str) -> dict:
        [url] = [e for e in container(workload)["env"] if e["name"] == f"{service.upper()}_DATABASE_URL"]
        return url["valueFrom"]["secretKeyRef"]

    assert database(jobs["income-migrations"], "income") == owner
    assert database(deployments["income"], "income") == VALUES["postgresql"]["existingSecrets"]["income"]
    assert database(jobs["decisions-migrations"], "decisions") == VALUES["postgresql"]["existingSecrets"]["decisions"]


def test_autoscalers_and_disruption_budgets_cover_every_component(objects):
    deployments = of_kind(objects, "Deployment")
    for component, autoscaler in of_kind(objects, "HorizontalPodAutoscaler").items():
        assert autoscaler["spec"]["scaleTargetRef"]["name"] == deployments[component]["metadata"]["name"]
    for component, budget in of_kind(objects, "PodDisruptionBudget").items():
        labels = deployments[component]["spec"]["template"]["metadata"]["labels"]
        assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert (
        set(of_kind(objects, "HorizontalPodAutoscaler"))
        == set(of_kind(objects, "PodDisruptionBudget"))
        == set(COMPONENTS)
    )


def test_each_component_reaches_only_what_it_needs(objects):
    policies = of_kind(objects, "NetworkPolicy")

    def egress(component: str) -> list[dict]:
        return [peer for rule in policies[component]["spec"]["egress"] for peer in rule["to"]]

    def reaches_database(component: str) -> bool:
        return any("postgresql" in str(peer.get("namespaceSelector")) for peer in egress(component))

    def reaches_internet(component: str) -> bool:
        return any(peer.get("ipBlock", {}).get("cidr") == "0.0.0.0/0" for peer in egress(component))

    def reaches_brp(component: str) -> bool:
        return any(peer.get("ipBlock", {}).get("cidr") in VALUES["networkPolicy"]["brp"] for peer in egress(component))

    assert {c for c in COMPONENTS if reaches_database(c)} == set(SERVICES)
    # every service: a municipality's look at its processing log asks the BRP where the person lives
    assert {c for c in COMPONENTS if reaches_brp(c)} == set(SERVICES)
    assert {c for c in COMPONENTS if reaches_internet(c)} == {"decisions"}, "webhooks only"
    assert "10.0.0.0/8" in next(
        p["ipBlock"]["except"] for p in egress("decisions") if "ipBlock" in p and "except" in p["ipBlock"]
    )
    for component in COMPONENTS:
        assert policies[component]["spec"]["policyTypes"] == ["Ingress", "Egress"]
        sources = policies[component]["spec"]["ingress"][0]["from"]
        from_console = any(
            s.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/component") == "console"
            for s in sources
        )
        assert from_console == (component != "console")

    # between the services: only reapplication asking income (the polis), and the console reading all
    def components(peers) -> set[str]:
        # pods of Schakel's own namespace (the broker and PostgreSQL are selected in theirs)
        own = [p for p in peers if "podSelector" in p and "namespaceSelector" not in p]
        return {p["podSelector"]["matchLabels"]["app.kubernetes.io/component"] for p in own}

    assert {c: components(egress(c)) for c in SERVICES if components(egress(c))} == {"reapplication": {"income"}}
    admitted = {c: components(p for r in policies[c]["spec"]["ingress"] for p in r["from"]) for c in SERVICES}
    assert {c: a - {"console"} for c, a in admitted.items() if a - {"console"}} == {"income": {"reapplication"}}
    # the migration jobs: DNS for all (the shared policy), and per service its database
    assert len(policies["migrations"]["spec"]["egress"]) == 1, "DNS only"
    for service in SERVICES:
        migrations = policies[f"{service}-migrations"]
        assert migrations["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
        assert len(migrations["spec"]["egress"]) == 2, "DNS and PostgreSQL only"


# what the review of the chart found, each kept from coming back


def database_selectors(policy: dict) -> list[dict]:
    """The pod selectors of PostgreSQL's namespace a NetworkPolicy lets through."""
    return [
        peer["podSelector"]
        for rule in policy["spec"]["egress"]
        for peer in rule["to"]
        if "postgresql" in str(peer.get("namespaceSelector"))
    ]


def test_a_render_names_no_development_party_and_needs_its_own_oin(objects):
    """Without an OIN of its own a deployment would name its systems as the development party; the
    data provider of development is contracted for no municipality in production."""
    with pytest.raises(RuntimeError, match=r"platform\.SCHAKEL_OIN is required"):
        helm.template()
    with pytest.raises(RuntimeError, match="20 digits"):
        helm.template("--set-string", "platform.SCHAKEL_OIN=1234")
    for component, deployment in of_kind(objects, "Deployment").items():
        env = {e["name"]: e.get("value") for e in container(deployment)["env"]}
        assert env["SCHAKEL_OIN"] == OIN, component
    income = {e["name"]: e.get("value") for e in container(of_kind(objects, "Deployment")["income"])["env"]}
    assert json.loads(income["INCOME_LEVERANCIERS"]) == {}


def own_databases() -> dict[str, dict]:
    return {s: {"matchLabels": {"cnpg.io/cluster": f"schakel-{s}-db"}} for s in SERVICES}


def test_by_default_each_service_reaches_only_its_own_database_s_pods(objects):
    policies = {o["metadata"]["name"]: o for o in objects if o["kind"] == "NetworkPolicy"}
    for service, own in own_databases().items():
        assert database_selectors(policies[f"schakel-{service}"]) == [own], service
        assert database_selectors(policies[f"schakel-{service}-migrations"]) == [own], service


def test_each_service_and_its_migrations_reach_only_their_own_database():
    own = {s: {"matchLabels": {"cnpg.io/cluster": f"pg-{s}"}} for s in SERVICES if s != "registration"}
    own_json = json.dumps({**own, "registration": None})
    objects = render("--set-json", f"networkPolicy.postgresql.podSelectors={own_json}")
    policies = {o["metadata"]["name"]: o for o in objects if o["kind"] == "NetworkPolicy"}
    for service in SERVICES:
        expected = own.get(service, VALUES["networkPolicy"]["postgresql"]["podSelector"])  # else the shared one
        assert database_selectors(policies[f"schakel-{service}"]) == [expected], service
        assert database_selectors(policies[f"schakel-{service}-migrations"]) == [expected], service
    assert not database_selectors(policies["schakel-console"])
    # a job's pod is selected by its own service's policy and the shared DNS-only one, no other
    for name, job in of_kind(objects, "Job").items():
        labels = job["spec"]["template"]["metadata"]["labels"]
        selecting = {
            n for n, p in policies.items() if p["spec"]["podSelector"]["matchLabels"].items() <= labels.items()
        }
        assert selecting == {"schakel-migrations", f"schakel-{name}"}, name
    assert not database_selectors(policies["schakel-migrations"])


def test_each_component_gets_only_the_secrets_it_uses(objects):
    """The console pseudonymises nothing and never asks the BRP; every service asks it (a municipality's
    look at the processing log asks where the person lives)."""
    secrets = {
        component: {e["name"] for e in container(deployment)["env"] if "valueFrom" in e}
        for component, deployment in of_kind(objects, "Deployment").items()
    }
    everyone = {"SCHAKEL_KAFKA_PASSWORD"}
    assert secrets == {
        "console": everyone,
        "income": everyone | {"SCHAKEL_PSEUDONYM_KEY", "SCHAKEL_BRP_API_KEY", "INCOME_DATABASE_URL"},
        "decisions": everyone
        | {"SCHAKEL_PSEUDONYM_KEY", "SCHAKEL_BRP_API_KEY", "DECISIONS_DATABASE_URL", "DECISIONS_WEBHOOK_SLEUTEL"},
        "reapplication": everyone | {"SCHAKEL_PSEUDONYM_KEY", "SCHAKEL_BRP_API_KEY", "REAPPLICATION_DATABASE_URL"},
        "registration": everyone | {"SCHAKEL_PSEUDONYM_KEY", "SCHAKEL_BRP_API_KEY", "REGISTRATION_DATABASE_URL"},
    }


def test_each_service_verifies_its_database_s_certificate_with_its_own_ca(objects):
    for kind in ("Deployment", "Job"):
        for component, obj in of_kind(objects, kind).items():
            pod, env = obj["spec"]["template"]["spec"], {e["name"]: e for e in container(obj)["env"]}
            mounts = {m["name"]: m["mountPath"] for m in container(obj)["volumeMounts"]}
            volumes = {v["name"]: v for v in pod["volumes"]}
            if component == "console":
                assert "PGSSLROOTCERT" not in env and "postgresql-ca" not in volumes
                continue
            assert env["PGSSLROOTCERT"]["value"] == f"{mounts['postgresql-ca']}/ca.crt", component
            ca = VALUES["postgresql"]["caSecrets"][component.removesuffix("-migrations")]
            assert volumes["postgresql-ca"]["secret"] == {
                "secretName": ca["name"],
                "items": [{"key": ca["key"], "path": "ca.crt"}],
            }, component


@pytest.mark.parametrize("empty", ["ingress.hosts.decisions=", "ingress.hosts.decisions=null"])
def test_a_component_without_a_host_is_not_published(empty):
    """A rule without a host matches every host, and has no TLS."""
    ingresses = of_kind(render("--set", "ingress.enabled=true", "--set", empty), "Ingress")
    assert set(ingresses) == set(COMPONENTS) - {"decisions"}
    for component, ingress in ingresses.items():
        hosts = [rule["host"] for rule in ingress["spec"]["rules"]]
        assert hosts == [VALUES["ingress"]["hosts"][component]] == ingress["spec"]["tls"][0]["hosts"]


def test_each_ingress_has_its_own_annotations_and_income_s_takes_a_whole_delivery():
    from income.entrypoints.models import MAX_LEVERING

    ingresses = of_kind(
        render("--set", "ingress.enabled=true", "--set-json", 'ingress.annotations.console={"example.nl/a": "b"}'),
        "Ingress",
    )
    annotations = {c: i["metadata"].get("annotations") for c, i in ingresses.items()}
    assert annotations == {
        "income": {"nginx.ingress.kubernetes.io/proxy-body-size": "48m"},
        "console": {"example.nl/a": "b"},
        "decisions": None,
        "reapplication": None,
        "registration": None,
    }
    limit = annotations["income"]["nginx.ingress.kubernetes.io/proxy-body-size"]
    assert limit.endswith("m") and int(limit[:-1]) * 1024 * 1024 >= MAX_LEVERING  # nginx: m is MiB


def test_an_unready_pod_does_not_block_a_node_drain(objects):
    for component, budget in of_kind(objects, "PodDisruptionBudget").items():
        assert budget["spec"]["unhealthyPodEvictionPolicy"] == "AlwaysAllow", component


def test_a_component_s_own_scaling_and_resources_override_the_defaults_field_by_field():
    objects = render(
        "--set",
        "services.decisions.autoscaling.maxReplicas=4",
        "--set",
        "services.decisions.resources.limits.memory=1Gi",
    )
    defaults = VALUES["defaults"]
    hpa = of_kind(objects, "HorizontalPodAutoscaler")["decisions"]["spec"]
    assert (hpa["minReplicas"], hpa["maxReplicas"], hpa["metrics"][0]["resource"]["target"]["averageUtilization"]) == (
        defaults["autoscaling"]["minReplicas"],
        4,
        defaults["autoscaling"]["targetCPUUtilizationPercentage"],
    )
    expected = {
        "requests": defaults["resources"]["requests"],
        "limits": {**defaults["resources"]["limits"], "memory": "1Gi"},
    }
    assert container(of_kind(objects, "Deployment")["decisions"])["resources"] == expected
    assert container(of_kind(objects, "Job")["decisions-migrations"])["resources"] == expected
    console = container(of_kind(objects, "Deployment")["console"])["resources"]
    assert console == VALUES["services"]["console"]["resources"], "its own, whole"


@pytest.mark.parametrize(
    "setting",
    [
        "platform.SCHAKEL_PSEUDONYM_KEY=plain",
        "platform.SCHAKEL_KAFKA_PASSWORD=plain",
        "platform.schakel_brp_api_key=plain",  # the services read their environment case-insensitively
        "services.income.settings.INCOME_DATABASE_URL=postgresql+asyncpg://u:p@db/income",
        "services.decisions.settings.DECISIONS_WEBHOOK_SLEUTEL=plain",
        "services.console.settings.SCHAKEL_PSEUDONYM_KEY=plain",
        "platform.SCHAKEL_JWT_SECRET=a-shared-secret",
        "platform.SCHAKEL_ENVIRONMENT=development",
        "services.income.settings.SCHAKEL_ENVIRONMENT=development",
    ],
)
def test_a_secret_as_a_value_a_jwt_secret_or_development_is_refused(setting):
    """`platform` and `settings` are rendered after the Secrets' references: a plain value would win."""
    with pytest.raises(RuntimeError, match=setting.split("=")[0].replace(".", r"\.")):
        render("--set-string", setting)


def test_an_image_may_be_named_by_its_digest():
    digest = "sha256:" + "0123456789abcdef" * 4
    objects = render("--set", f"image.digests.income={digest}")
    registry = VALUES["image"]["registry"]
    assert container(of_kind(objects, "Deployment")["income"])["image"] == f"{registry}/schakel-income@{digest}"
    assert container(of_kind(objects, "Job")["income-migrations"])["image"] == f"{registry}/schakel-income@{digest}"
    assert container(of_kind(objects, "Deployment")["decisions"])["image"].endswith(":0.1.0"), "the others by tag"
    with pytest.raises(RuntimeError, match=r"image\.digests\.income"):
        render("--set", "image.digests.income=latest")


def test_the_chart_s_app_version_is_the_project_s():
    """The images' default tag: the version of pyproject.toml they are built from (each API has its
    own version besides, in its OpenAPI document)."""
    chart = yaml.safe_load((helm.CHART / "Chart.yaml").read_text())
    project = tomllib.loads((helm.ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert chart["appVersion"] == project


def test_the_ingress_controller_is_admitted_only_with_an_ingress(objects):
    controller = VALUES["networkPolicy"]["ingressController"]["namespaceSelector"]

    def admitting(objects: list[dict]) -> set[str]:
        return {
            component
            for component, policy in of_kind(objects, "NetworkPolicy").items()
            if any(s.get("namespaceSelector") == controller for r in policy["spec"]["ingress"] for s in r["from"])
        }

    assert admitting(objects) == set()
    assert admitting(render("--set", "ingress.enabled=true")) == set(COMPONENTS)


def webhook_egress(objects: list[dict]) -> dict:
    """decisions' egress rule to the internet: the back offices' webhooks."""
    egress = of_kind(objects, "NetworkPolicy")["decisions"]["spec"]["egress"]
    [rule] = [r for r in egress if any(p.get("ipBlock", {}).get("cidr") == "0.0.0.0/0" for p in r["to"])]
    return rule


def test_webhooks_go_out_on_the_ports_decisions_takes_a_callback_url_on_over_ipv4_and_ipv6(objects):
    """One source of truth: a port decisions takes (DECISIONS_WEBHOOK_POORTEN) that the policy blocked
    would get a subscription every delivery of which times out."""
    rule = webhook_egress(objects)
    assert VALUES["services"]["decisions"]["settings"]["DECISIONS_WEBHOOK_POORTEN"] == "[443]"
    assert rule["ports"] == [{"port": 443, "protocol": "TCP"}]
    blocks = {p["ipBlock"]["cidr"]: p["ipBlock"]["except"] for p in rule["to"]}
    assert blocks == {
        "0.0.0.0/0": VALUES["networkPolicy"]["webhooksExcept"],
        "::/0": VALUES["networkPolicy"]["webhooksExceptIPv6"],
    }
    assert {"::1/128", "fc00::/7", "fe80::/10", "::ffff:0:0/96", "64:ff9b::/96"} <= set(blocks["::/0"])

    wider = render("--set-json", 'services.decisions.settings.DECISIONS_WEBHOOK_POORTEN="[443, 8443]"')
    assert webhook_egress(wider)["ports"] == [{"port": 443, "protocol": "TCP"}, {"port": 8443, "protocol": "TCP"}]


@pytest.mark.parametrize("poorten", ["null", "[]", "443", '["https"]', "[0]", "[443.5]", "[65536]"])
def test_webhooks_without_a_list_of_ports_do_not_render(poorten):
    """Without one the policy would have no ports (every port) or none decisions takes."""
    with pytest.raises(RuntimeError, match="DECISIONS_WEBHOOK_POORTEN"):
        render("--set-json", f"services.decisions.settings.DECISIONS_WEBHOOK_POORTEN={json.dumps(poorten)}")


def test_a_service_without_its_database_s_ca_does_not_render():
    with pytest.raises(RuntimeError, match=r"postgresql\.caSecrets\.income"):
        render("--set", "postgresql.caSecrets.income=null")


def test_a_prometheus_operator_gets_a_pod_monitor_of_every_pod_and_the_rules_as_make_run_s_prometheus(objects):
    assert not {o["kind"] for o in objects} & {"PodMonitor", "PrometheusRule"}, "off by default: CRDs of an operator"
    rendered = render(
        "--set",
        "monitoring.podMonitor.enabled=true",
        "--set",
        "monitoring.prometheusRule.enabled=true",
        "--set-json",
        'monitoring.prometheusRule.labels={"release": "kube-prometheus-stack"}',
    )
    [monitor] = [o for o in rendered if o["kind"] == "PodMonitor"]
    [rule] = [o for o in rendered if o["kind"] == "PrometheusRule"]
    selector = monitor["spec"]["selector"]
    for component, deployment in of_kind(rendered, "Deployment").items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert selector["matchLabels"].items() <= labels.items(), component
        [components] = selector["matchExpressions"]
        assert components["key"] == "app.kubernetes.io/component" and component in components["values"]
        assert "http" in {p["name"] for p in container(deployment)["ports"]}
    # the rules read the scrape's job `schakel` and the component as `service`, as prometheus.yml labels them
    [endpoint] = monitor["spec"]["podMetricsEndpoints"]
    assert (endpoint["port"], endpoint["path"]) == ("http", "/metrics")
    relabelled = {r["targetLabel"]: r for r in endpoint["relabelings"]}
    assert relabelled["job"]["replacement"] == "schakel"
    assert relabelled["service"]["sourceLabels"] == ["__meta_kubernetes_pod_label_app_kubernetes_io_component"]
    local = yaml.safe_load((helm.CHART.parents[1] / "prometheus" / "prometheus.yml").read_text())
    assert {c["job_name"] for c in local["scrape_configs"]} >= {"schakel"}
    assert rule["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    assert rule["spec"] == yaml.safe_load((helm.CHART / "files" / "prometheus-rules.yml").read_text())
    assert "{{ $labels.service }}" in json.dumps(rule["spec"]), "the alerts' templates reach Prometheus untouched"
