"""The Helm chart (deploy/helm/schakel): rendered by Helm itself, every object valid against the
Kubernetes schemas offline (kubernetes-validate, strict: no unknown field), every setting a
service reads in production provided, and each part reaching only what it needs. Integration
tier: the first run builds Helm from its Go module (deploy/helm.py)."""

import importlib
import json
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


def render(*arguments: str, release: str = "schakel") -> list[dict]:
    return [doc for doc in yaml.safe_load_all(helm.template(*arguments, release=release)) if doc]


@pytest.fixture(scope="module")
def objects() -> list[dict]:
    return render()


def of_kind(objects: list[dict], kind: str) -> dict[str, dict]:
    return {o["metadata"]["labels"]["app.kubernetes.io/component"]: o for o in objects if o["kind"] == kind}


def container(workload: dict) -> dict:
    [only] = workload["spec"]["template"]["spec"]["containers"]
    return only


def settings_fields(component: str) -> set[str]:
    """The environment variables a component's settings classes read."""
    settings = importlib.import_module(f"{component}.settings").Settings
    prefix = settings.model_config["env_prefix"]
    return {f"{prefix}{name}".upper() for name in settings.model_fields} | {
        f"SCHAKEL_{name}".upper() for name in PlatformSettings.model_fields
    }


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
            value = "postgresql+asyncpg://schakel:geheim@db/schakel" if name.endswith("_DATABASE_URL") else None
            monkeypatch.setenv(name, entry["value"] if not secret else value or SECRETS[name])
        platform = PlatformSettings()
        settings = importlib.import_module(f"{component}.settings").Settings()
        assert (platform.environment, platform.kafka_username, settings.host) == (
            "production",
            CONSOLE if component == "console" else service_principal(component),  # the ACLs' principals
            "0.0.0.0",
        )
        if component != "console":
            settings.refuse_development_secrets(platform)
            assert settings.database_url.startswith("postgresql+asyncpg://")
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
    """preStop, then the requests under way (10 s), the current batch and the outbox (the broker's
    timeout + 5 s), a cancelled task's rollback (5 s): all within the grace period, or the kubelet
    kills what is still committing."""
    from schakel.runtime.settings import PlatformSettings

    broker = PlatformSettings.model_fields["kafka_timeout"].default
    for component, deployment in of_kind(objects, "Deployment").items():
        command = container(deployment)["lifecycle"]["preStop"]["exec"]["command"]
        assert command[0] == "sleep" and (pause := int(command[1])) >= 5, component
        grace = deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
        assert grace > pause + 10 + broker + 5 + 5, component


def test_migrations_run_as_hook_jobs_with_the_services_environment(objects):
    deployments = of_kind(objects, "Deployment")
    jobs = {name.removesuffix("-migrations"): job for name, job in of_kind(objects, "Job").items()}
    assert set(jobs) == set(SERVICES), "every service with a database, not the console"
    for service, job in jobs.items():
        assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
        assert container(job)["command"] == ["python", "-m", service, "migrate"]
        assert container(job)["env"] == container(deployments[service])["env"]


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

    assert {c for c in COMPONENTS if reaches_database(c)} == set(SERVICES)
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
    migrations = of_kind(objects, "NetworkPolicy")["migrations"]
    assert migrations["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert len(migrations["spec"]["egress"]) == 2, "DNS and PostgreSQL only"
