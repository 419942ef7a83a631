"""The JSON:API face as the older (upstream) Qairon's client uses it: the requests
it sends, byte for byte as docs/MIGRATING.md describes them, and what it reads back."""
import json

import pytest

V1 = "/api/rest/v1"
HEADERS = {"Content-Type": "application/vnd.api+json", "Accept": "application/vnd.api+json"}
PART = "testenv:aws:acct:r1:p1"
TARGET = f"{PART}:k8s:dt"


def send(client, method, path, body=None):
    return client.open(V1 + path, method=method, headers=HEADERS,
                       data=None if body is None else json.dumps(body))


def create(client, resource, **attributes):
    """POST as that client does: type and attributes, every value a string."""
    return send(client, "POST", f"/{resource}",
                {"data": {"type": resource, "attributes": attributes}})


def made(client, resource, **attributes):
    response = create(client, resource, **attributes)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


def error(response, status):
    body = response.get_json()
    assert response.status_code == status, body
    (only,) = body["errors"]
    return only


@pytest.fixture
def chain(client):
    """A hierarchy made as the older client's tests make theirs."""
    for resource, name in (("environment", "testenv"), ("provider_type", "aws"),
                           ("deployment_target_type", "k8s"), ("application", "app"),
                           ("language", "json")):
        assert made(client, resource, id=name)["id"] == name
    made(client, "allocation_type", id="cpu", unit="cores")
    made(client, "provider", environment_id="testenv", provider_type_id="aws", native_id="acct")
    made(client, "region", provider_id="testenv:aws:acct", name="r1")
    made(client, "partition", region_id="testenv:aws:acct:r1", name="p1")
    made(client, "zone", region_id="testenv:aws:acct:r1", name="z1")
    made(client, "zone", region_id="testenv:aws:acct:r1", name="z2")
    made(client, "deployment_target", deployment_target_type_id="k8s", partition_id=PART,
         name="dt")
    made(client, "stack", application_id="app", name="s")
    made(client, "service", stack_id="app:s", name="svc")
    made(client, "config_template", language_id="json", id="tmpl", doc="{}")
    return client


def test_catalogue_objects_take_attributes_id(client):
    data = made(client, "environment", id="testenv")
    assert (data["id"], data["attributes"]["name"]) == ("testenv", "testenv")
    both = create(client, "language", id="json", name="yaml")
    assert "disagree" in error(both, 409)["detail"]


def test_a_client_id_must_be_the_computed_one_or_it_is_a_conflict(chain):
    body = {"data": {"type": "stack", "id": "other", "attributes": {"application_id": "app",
                                                                   "name": "t"}}}
    assert "app:t" in error(send(chain, "POST", "/stack", body), 409)["detail"]
    body["data"]["id"] = "app:t"
    assert send(chain, "POST", "/stack", body).status_code == 201
    given = create(chain, "stack", id="app:wrong", application_id="app", name="u")
    assert error(given, 409)["source"]["pointer"] == "/data/id"


def test_values_as_text_and_type_alias(chain):
    provider = chain.get(f"{V1}/provider/testenv:aws:acct", headers=HEADERS).get_json()["data"]
    assert provider["relationships"]["type"]["data"] == {"id": "aws", "type": "provider_type"}
    assert provider["relationships"]["provider_type"]["data"]["id"] == "aws"
    made(chain, "fleet_type", id="workers")
    fleet = made(chain, "fleet", partition_id=PART, fleet_type_id="workers", name="pool")
    capacity = made(chain, "capacity", fleet_id=fleet["id"], allocation_type_id="cpu",
                    value="100")
    assert capacity["attributes"]["value"] == 100
    assert capacity["relationships"]["type"]["data"]["id"] == "cpu"
    build = made(chain, "build", service_id="app:s:svc", build_num="123", vcs_ref="v1.0")
    assert build["id"] == "app:s:svc:123"


def test_defaults_as_json_text_on_both_faces(chain, app, monkeypatch):
    deployment = made(chain, "deployment", service_id="app:s:svc", deployment_target_id=TARGET,
                      tag="default", defaults='{"replicas": 2}')
    assert deployment["attributes"]["defaults"] == {"replicas": 2}
    plain = chain.post("/api/applications", json={"name": "other", "defaults": '{"a": 1}'})
    assert plain.status_code == 201 and plain.get_json()["defaults"] == {"a": 1}
    for text in ("[1, 2]", "not json", "null"):
        refused = error(create(chain, "application", id="x", defaults=text), 400)
        assert "JSON object" in refused["detail"] and refused["source"]["field"] == "defaults"
        assert chain.post("/api/applications", json={"name": "x", "defaults": text}
                          ).status_code == 400
    monkeypatch.setitem(app.config, "JSONAPI_DEFAULTS_AS_TEXT", True)
    again = chain.get(f"{V1}/deployment/{deployment['id']}", headers=HEADERS).get_json()["data"]
    assert again["attributes"]["defaults"] == '{"replicas": 2}'


def test_configs_without_config_and_the_template_alias(chain):
    config = made(chain, "service_config", config_template_id="tmpl", service_id="app:s:svc",
                  name="c", tag="tag")
    assert config["id"] == "app:s:svc:tmpl:c:tag"
    assert config["attributes"]["config"] == "{}"
    assert config["relationships"]["template"]["data"]["id"] == "tmpl"
    # ``get_field ID configs`` of that client reads the owner's configs under that name
    listed = chain.get(f"{V1}/service/app:s:svc/configs?page[size]=100", headers=HEADERS)
    assert [c["id"] for c in listed.get_json()["data"]] == [config["id"]]
    linkage = chain.get(f"{V1}/service/app:s:svc/relationships/configs", headers=HEADERS)
    assert linkage.get_json()["data"] == [{"type": "service_config", "id": config["id"]}]
    assert chain.get(f"{V1}/stack/app:s/configs", headers=HEADERS).get_json()["data"] == []
    unknown = error(chain.get(f"{V1}/service/app:s:svc/settings", headers=HEADERS), 404)
    assert "service_configs" in unknown["detail"]


def test_artifact_data_is_its_defaults(chain):
    made(chain, "repo_type", id="git")
    made(chain, "repo", repo_type_id="git", name="src")
    made(chain, "build", service_id="app:s:svc", build_num="1", vcs_ref="abc")
    artifact = made(chain, "build_artifact", build_id="app:s:svc:1", input_repo_id="git:src",
                    output_repo_id="git:src", name="img", upload_path="/x", data='{"sha": "1"}')
    assert artifact["attributes"]["defaults"] == {"sha": "1"}


def test_where_the_model_differs_the_refusal_says_what_to_give(chain):
    made(chain, "fleet_type", id="workers")
    fleet = create(chain, "fleet", fleet_type_id="workers", deployment_target_id=TARGET,
                   name="pool")
    refused = error(fleet, 400)
    assert refused["source"]["field"] == "deployment_target_id"
    assert f"give partition_id '{PART}' instead" in refused["detail"]
    typed = error(create(chain, "fleet_type", provider_type_id="aws", name="big"), 400)
    assert "global" in typed["detail"] and typed["source"]["field"] == "provider_type_id"


def test_plugin_paths_are_a_404_naming_what_exists(client):
    for name in ("dependency_case", "dependency", "relatable", "related"):
        refused = error(client.get(f"{V1}/{name}", headers=HEADERS), 404)
        assert "dependencies plugin" in refused["detail"] and "/trace" in refused["detail"]
        assert "QAIRON_PLUGINS=dependency_cases" in refused["detail"]


def test_links_next_always_present_and_prefix_completion(chain):
    listed = chain.get(f"{V1}/zone?page[size]=100", headers=HEADERS).get_json()
    assert "next" in listed["links"] and listed["links"]["next"] is None
    dep = made(chain, "deployment", service_id="app:s:svc", deployment_target_id=TARGET,
               tag="default")["id"]
    zones = chain.get(f"{V1}/deployment/{dep}/zones?page[size]=100", headers=HEADERS).get_json()
    assert zones["data"] == [] and "next" in zones["links"]
    replace = {"data": [{"type": "zone", "id": "testenv:aws:acct:r1:z1"},
                        {"type": "zone", "id": "testenv:aws:acct:r1:z2"}]}
    assert send(chain, "PATCH", f"/deployment/{dep}/relationships/zones",
                replace).status_code == 204
    like = json.dumps([{"name": "id", "op": "like", "val": "testenv:aws:acct:r1:z1%"}])
    found = chain.get(f"{V1}/deployment/{dep}/zones", query_string={"filter[objects]": like},
                      headers=HEADERS).get_json()["data"]
    assert [z["id"] for z in found] == ["testenv:aws:acct:r1:z1"]


def test_set_field_patch_as_that_client_sends_it(chain):
    body = {"data": {"id": "testenv:aws:acct:r1:z1", "type": "zone",
                     "attributes": {"native_id": "use1-az1"}}}
    patched = send(chain, "PATCH", "/zone/testenv:aws:acct:r1:z1", body)
    assert patched.status_code == 200
    assert patched.get_json()["data"]["attributes"]["native_id"] == "use1-az1"
    assert send(chain, "DELETE", "/zone/testenv:aws:acct:r1:z2").status_code == 204
