"""deploy/ checked without a cluster or a container runtime: each file against its schema, and
the files against each other, the code and the operations guide.

Compose: the Compose Specification's schema shipped inside check-jsonschema. Kubernetes: the
API's schemas shipped inside kubernetes-validate, strict (unknown fields refused); the custom
resources against their operators' CRD schemas vendored in tests/fixtures/deploy. Nothing is
downloaded when these run.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

REPOSITORY = Path(__file__).resolve().parents[2]
DEPLOY = REPOSITORY / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
SCHEMAS = REPOSITORY / "tests" / "fixtures" / "deploy"
GUIDE = REPOSITORY / "docs" / "drift.md"
KUBERNETES_VERSION = "1.37.0"
CUSTOM_SCHEMAS = {
    ("postgresql.cnpg.io/v1", "Cluster"): SCHEMAS / "cnpg-cluster-v1.schema.json",
    ("keda.sh/v1alpha1", "ScaledObject"): SCHEMAS / "keda-scaledobject-v1alpha1.schema.json",
}
VARIABLE = re.compile(r"\bLERUM_FLOW_[A-Z][A-Z0-9_]*[A-Z0-9]\b")
# Read by the code but for developers and the bench only, not for a deployment.
NOT_FOR_OPERATORS = {"LERUM_FLOW_BENCH_POSTGRES_URL", "LERUM_FLOW_TEST_NO_HARD_EXIT"}


def manifests() -> Iterator[tuple[Path, dict[str, Any]]]:
    for path in sorted(KUBERNETES.rglob("*.yaml")):
        if path.name in ("Chart.yaml", "values.yaml", "kustomization.yaml"):
            continue
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if document:
                yield path, document


MANIFESTS = list(manifests())


def test_the_compose_file_follows_the_compose_specification() -> None:
    """check-jsonschema's vendored compose-spec schema accepts deploy/compose.yaml."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            str(DEPLOY / "compose.yaml"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_compose_check_would_catch_a_mistake(tmp_path: Path) -> None:
    """The same check refuses a compose file with a misspelt key, so the test above can fail."""
    broken = tmp_path / "compose.yaml"
    broken.write_text(
        (DEPLOY / "compose.yaml").read_text().replace("restart: unless-stopped", "restrat: always", 1)
    )
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0


@pytest.mark.parametrize(
    ("path", "document"),
    MANIFESTS,
    ids=[f"{p.relative_to(KUBERNETES)}:{d['kind']}/{d['metadata']['name']}" for p, d in MANIFESTS],
)
def test_every_kubernetes_manifest_is_valid_for_its_kind(path: Path, document: dict[str, Any]) -> None:
    """Kubernetes' own kinds strictly against the API schema; the operators' kinds against their CRDs."""
    custom = CUSTOM_SCHEMAS.get((document["apiVersion"], document["kind"]))
    if custom is not None:
        schema = json.loads(custom.read_text(encoding="utf-8"))
        jsonschema.validate(document, schema)
        return
    kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_a_misspelt_field_in_a_manifest_is_refused() -> None:
    """Strict validation refuses what the API server would silently drop: the checks above can fail."""
    (worker,) = [
        d for _, d in MANIFESTS if d["kind"] == "Deployment" and d["metadata"]["name"] == "lerum-flow-worker"
    ]
    broken = json.loads(json.dumps(worker))
    broken["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = broken["spec"]["template"]["spec"][
        "containers"
    ][0].pop("readinessProbe")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)
    (cluster,) = [
        d for _, d in MANIFESTS if d["kind"] == "Cluster" and d["metadata"]["name"] == "lerum-flow-db"
    ]
    typo = json.loads(json.dumps(cluster)) | {"spec": {**cluster["spec"], "instance": 3}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            typo, json.loads(CUSTOM_SCHEMAS[("postgresql.cnpg.io/v1", "Cluster")].read_text())
        )


def test_the_kustomization_lists_every_manifest_but_the_secret_example() -> None:
    """`kubectl apply -k` applies every file of the folder that exists, and never the example secret."""
    folder = KUBERNETES / "lerum-flow"
    listed = yaml.safe_load((folder / "kustomization.yaml").read_text())["resources"]
    present = {p.name for p in folder.glob("*.yaml")} - {"kustomization.yaml", "secret.example.yaml"}
    assert sorted(listed) == sorted(present)


def _deployment(name: str) -> dict[str, Any]:
    (found,) = [d for _, d in MANIFESTS if d["kind"] == "Deployment" and d["metadata"]["name"] == name]
    return found


def test_every_deployment_has_probes_resource_limits_and_runs_without_root() -> None:
    """Worker and web have readiness and liveness probes; every container has limits and runs as non-root."""
    for name in ("lerum-flow-worker", "lerum-flow-web", "lerum-flow-projector"):
        pod = _deployment(name)["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        for container in pod["containers"]:
            assert container["resources"]["limits"]["memory"]
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            if name != "lerum-flow-projector":
                assert container["readinessProbe"]
                assert container["livenessProbe"]


def test_the_worker_is_probed_where_it_serves_and_outlives_its_grace_period() -> None:
    """Probes hit /healthz and /readyz on LERUM_FLOW_HEALTH_PORT, and the kubelet waits longer
    than the worker's own graceful stop before it kills."""
    settings = next(
        d for _, d in MANIFESTS if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "lerum-flow-settings"
    )
    port = int(settings["data"]["LERUM_FLOW_HEALTH_PORT"])
    pod = _deployment("lerum-flow-worker")["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert {p["name"]: p["containerPort"] for p in container["ports"]}["metrics"] == port
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert pod["terminationGracePeriodSeconds"] > float(settings["data"]["LERUM_FLOW_GRACEFUL_STOP_SECONDS"])


def test_temporal_comes_from_its_official_chart_with_its_database_from_cloudnativepg() -> None:
    """The umbrella chart depends on Temporal's chart at a pinned version, and the datastores
    read the Secret CloudNativePG makes for the cluster in the chart's templates."""
    chart = yaml.safe_load((KUBERNETES / "temporal" / "Chart.yaml").read_text())
    assert chart["apiVersion"] == "v2"
    (dependency,) = chart["dependencies"]
    assert dependency["name"] == "temporal"
    assert dependency["repository"] == "https://go.temporal.io/helm-charts"
    assert re.fullmatch(r"\d+\.\d+\.\d+", dependency["version"])
    values = yaml.safe_load((KUBERNETES / "temporal" / "values.yaml").read_text())
    clusters = {
        d["metadata"]["name"]
        for p, d in MANIFESTS
        if d["kind"] == "Cluster" and p.parent == KUBERNETES / "temporal" / "templates"
    }
    for store in values["temporal"]["server"]["config"]["persistence"]["datastores"].values():
        assert store["sql"]["existingSecret"].removesuffix("-app") in clusters
        assert store["sql"]["connectAddr"].split(":")[0].removesuffix("-rw") in clusters


def test_the_image_is_built_in_stages_and_runs_the_wheel_as_a_user_without_privileges() -> None:
    """Two stages at least; the last installs from the built wheels only and drops root."""
    text = (DEPLOY / "Containerfile").read_text()
    stages = re.split(r"^FROM ", text, flags=re.MULTILINE)[1:]
    assert len(stages) >= 2
    final = stages[-1]
    assert "--no-index" in final
    assert "--find-links" in final
    (user,) = re.findall(r"^USER (\S+)", final, flags=re.MULTILINE)
    assert user.split(":")[0] not in ("0", "root")
    assert re.search(r'^ENTRYPOINT \["lerum-flow"\]', final, flags=re.MULTILINE)
    assert "python -m build --wheel" in stages[0]


def _deploy_variables() -> set[str]:
    found: set[str] = set()
    for path in DEPLOY.rglob("*"):
        if (
            path.is_file()
            and path.suffix in (".yaml", ".example", ".toml", "")
            and "secrets" not in path.parts
        ):
            found |= set(VARIABLE.findall(path.read_text(encoding="utf-8")))
    return found


def _code_variables() -> set[str]:
    found: set[str] = set()
    for path in (REPOSITORY / "src" / "lerum_flow").rglob("*.py"):
        found |= set(VARIABLE.findall(path.read_text(encoding="utf-8")))
    return found - {"LERUM_FLOW_NAMESPACE"}  # a uuid5 namespace constant, no variable


def test_every_setting_the_code_reads_is_described_in_the_operations_guide() -> None:
    """docs/drift.md names every LERUM_FLOW_* variable the program reads."""
    guide = GUIDE.read_text(encoding="utf-8")
    missing = sorted(v for v in _code_variables() - NOT_FOR_OPERATORS if v not in guide)
    assert missing == []


def test_every_setting_in_deploy_is_one_the_guide_describes() -> None:
    """A variable set in deploy/ that the guide does not know is a typo or an undocumented setting."""
    guide = GUIDE.read_text(encoding="utf-8")
    assert sorted(v for v in _deploy_variables() if v not in guide) == []


def test_every_alert_rule_has_an_expression_a_severity_and_a_swedish_summary() -> None:
    """deploy/prometheus/alerts.yml is a rule file Prometheus can load, each alert explained in the guide."""
    rules = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text(encoding="utf-8"))
    guide = GUIDE.read_text(encoding="utf-8")
    alerts = [rule for group in rules["groups"] for rule in group["rules"]]
    assert alerts
    for rule in alerts:
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}
        assert rule["expr"].strip()
        assert rule["labels"]["severity"] in ("critical", "warning", "info")
        assert rule["annotations"]["summary"]
        assert rule["alert"] in guide


def test_every_alert_on_our_own_figures_is_per_municipality() -> None:
    """A fleet labels each municipality's figures with `kommun`: a rule over them groups by it, so one
    municipality's lag or missing leader is not hidden behind another's."""
    rules = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text(encoding="utf-8"))
    ours = [rule for group in rules["groups"] for rule in group["rules"] if "lerum_flow_" in rule["expr"]]
    assert ours
    for rule in ours:
        assert re.search(r"\bby \(kommun\b", rule["expr"]), rule["alert"]
