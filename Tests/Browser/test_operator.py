"""Browser scenarios of the site operator's page (issue 20): the fleet view and the management
console. Loaded by test_page.py, which passes itself (`t`) for its helpers and its ARGS/CREDS.

They run last: they register a node, a tenant, a user and a key of their own and remove them again.
"""
import json
import os
import time
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def scenarios(t):
    def api(method, path, body=None, key=None):
        """(status, JSON or None) of one call with the operator's key (or `key`)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{t.ARGS.base}/api/v1/{path}", data=data, method=method, headers={
            "Authorization": f"Bearer {key or t.key_for('operator')}", "Content-Type": "application/json", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                text = response.read()
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            text = error.read()
            try:
                return error.code, json.loads(text)
            except ValueError:
                return error.code, None

    def sd_targets():
        """Every `node` label Prometheus's service discovery lists (both exporters)."""
        token = open(os.path.join(t.ARGS.state_dir, "sd-token")).read().strip()
        names = set()
        for exporter in ("dcgm", "vllm"):
            request = urllib.request.Request(f"{t.ARGS.base}/sd/prometheus?exporter={exporter}", headers={"Authorization": f"Bearer {token}"})
            with urllib.request.urlopen(request, timeout=10) as response:
                for group in json.load(response):
                    names.add(group.get("labels", {}).get("node"))
        return names

    def tab(driver, name):
        driver.find_element(By.ID, f"console-tab-{name}").click()
        t.wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f'#console-body .console-tab[data-tab="{name}"]') or False, 20, f"{name} tab")

    def status_text(driver):
        return driver.find_element(By.ID, "console-status").text

    def submit(driver, form_id, values):
        form = driver.find_element(By.ID, form_id)
        for name, value in values.items():
            field = form.find_element(By.ID, f"{form_id}-{name}")
            if field.tag_name == "select":
                Select(field).select_by_value(value)
            else:
                field.clear()
                field.send_keys(value)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    def remove_row(driver, table_id, key):
        selector = f'#{table_id} tr[data-key="{key}"] button.remove'
        driver.find_element(By.CSS_SELECTOR, selector).click()
        t.wait(driver, lambda d: "Confirm" in d.find_element(By.CSS_SELECTOR, selector).text, 5, "removal asks for a second click")
        driver.find_element(By.CSS_SELECTOR, selector).click()
        t.wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, f'#{table_id} tr[data-key="{key}"]'), 20, f"{key} gone from {table_id}")

    def test_operator_fleet_view():
        """The operator sees every tenant's nodes grouped by tenant, each tenant's pill and the
        fleet pill, the fleet's alerts (the Watchdog included) and can open any node."""
        status, nodes = api("GET", "admin/nodes")
        t.expect(status == 200 and nodes, f"admin nodes: {status}")
        driver = t.make_driver(1400, 1000)
        try:
            t.login(driver, "operator", header="site operator")
            t.visible(driver, "#operator-view")
            t.expect(driver.find_element(By.ID, "role-badge").text.lower() == "operator", "role badge says operator")
            for node in nodes:
                t.visible(driver, f'.tenant-group[data-tenant="{node["tenant"]}"] .card[data-node="{node["name"]}"]', 30)
            groups = driver.find_elements(By.CSS_SELECTOR, ".tenant-group")
            tenants = {g.get_attribute("data-tenant") for g in groups}
            t.expect({n["tenant"] for n in nodes} <= tenants, f"every holding tenant has a group: {tenants}")
            for group in groups:
                pill = group.find_element(By.CSS_SELECTOR, ".tenant-pill")
                t.expect(pill.get_attribute("data-health") in ("healthy", "degraded", "critical", "unknown"), "tenant pill state")
            # The fleet pill is the worst card of the fleet: initrode's XID 79 GPU makes both it and
            # initrode's own pill Critical, while a tenant with no such card is not.
            t.wait(driver, lambda d: d.find_element(By.ID, "health-pill").get_attribute("data-health") == "critical", 60, "fleet pill Critical")
            t.wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, '.tenant-group[data-tenant="initrode"] .tenant-pill').get_attribute("data-health") == "critical",
                   60, "initrode's pill Critical (its XID 79 node)")
            globex = driver.find_element(By.CSS_SELECTOR, '.tenant-group[data-tenant="globex"] .tenant-pill').get_attribute("data-health")
            t.expect(globex != "critical", f"globex's pill: {globex}")
            pooled = driver.find_elements(By.CSS_SELECTOR, ".tenant-group .pool-group[data-pool]")
            t.expect(pooled, "contributed nodes are grouped under their pool")
            counts = driver.find_element(By.ID, "fleet-counts").text
            t.expect(f"{len(nodes)} node" in counts, f"fleet counts: {counts!r}")
            # Fleet-wide alerts include the pipeline's own Watchdog, which no tenant sees.
            t.wait(driver, lambda d: "Watchdog" in d.find_element(By.ID, "alerts").text, 90, "Watchdog among the fleet's alerts")
            t.screenshot(driver, "operator-fleet")
            # The fleet's economics, grouped by the tenants that hold nodes.
            t.wait(driver, lambda d: (t.costs_state(d) or {}).get("state") == "ready", 60, "fleet costs ready")
            driver.find_element(By.CSS_SELECTOR, '[data-picker="costs-group"] button[data-value="tenant"]').click()
            t.wait(driver, lambda d: (t.costs_state(d) or {}).get("group") == "tenant" and t.costs_state(d)["state"] == "ready", 30, "costs by tenant")
            keys = [r.find_element(By.CSS_SELECTOR, "th").text for r in driver.find_elements(By.CSS_SELECTOR, "#costs-table tbody tr:not(.empty)")]
            t.expect(sorted(keys) == sorted({n["tenant"] for n in nodes}), f"cost rows by tenant {keys}")
            t.expect(driver.find_elements(By.CSS_SELECTOR, "#costs-revenue li"), "every pool's revenue line")
            other = next(n for n in nodes if n["tenant"] == "globex")
            driver.find_element(By.CSS_SELECTOR, f'.card[data-node="{other["name"]}"]').click()
            t.visible(driver, "#detail-view")
            t.wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#gpu-table tbody tr") or False, 30, "any node's GPU table")
            errors = t.console_errors(driver)
            t.expect(not errors, f"console errors: {errors}")
        finally:
            driver.quit()

    def test_operator_console():
        """Creates a tenant, a user and a key; the key works until it is revoked on the page (then
        401); mints an enrolment command; removes a node (it leaves service discovery) and the
        tenant; finds the revocation in the audit log."""
        stamp = f"{os.getpid() % 10000}-{int(time.time()) % 100000}"
        tenant, user_name, node = f"optest-{stamp}", f"optest-admin-{stamp}", f"optest-node-{stamp}"
        driver = t.make_driver(1400, 1100)
        try:
            t.login(driver, "operator", header="site operator")
            t.visible(driver, "#console-panel", 30)
            t.visible(driver, "#tenant-form")
            submit(driver, "tenant-form", {"name": tenant, "displayName": "Operator test"})
            t.visible(driver, f'#tenants-table tr[data-key="{tenant}"]')
            t.expect(f"Created tenant {tenant}" in status_text(driver), f"status: {status_text(driver)!r}")
            # A name the server refuses is said in the console, and nothing is created.
            submit(driver, "tenant-form", {"name": "Not A Name!", "displayName": ""})
            t.wait(driver, lambda d: d.find_element(By.ID, "console-status").get_attribute("data-kind") == "error", 10, "refused name")
            t.expect("name" in status_text(driver).lower(), f"refusal names the problem: {status_text(driver)!r}")

            tab(driver, "users")
            submit(driver, "user-form", {"name": user_name, "kind": "tenant-admin", "tenant": tenant})
            def listed(d):
                for row in d.find_elements(By.CSS_SELECTOR, "#users-table tbody tr"):
                    if row.find_element(By.CSS_SELECTOR, "td").text == user_name:
                        return row.get_attribute("data-key")
                return False
            user_id = t.wait(driver, listed, 20, f"user {user_name} listed")
            driver.find_element(By.CSS_SELECTOR, f'#users-table tr[data-key="{user_id}"] button.keys').click()
            t.visible(driver, f'#keys-panel[data-user="{user_id}"]')
            submit(driver, "key-form", {"label": "browser test"})
            key = t.visible(driver, "#new-key-value", 20).text.strip()
            t.expect(key.startswith("aif_"), f"the new key is shown once: {key[:8]}…")
            status, me = api("GET", "me", key=key)
            t.expect(status == 200 and me["tenant"] == tenant, f"the new key works: {status} {me}")
            revoke = t.visible(driver, "#keys-table button.revoke")
            revoke.click()
            t.wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '#keys-table .key-state[data-state="revoked"]') or False, 20, "key shown revoked")
            status, _ = api("GET", "me", key=key)
            t.expect(status == 401, f"the revoked key gets 401, not {status}")

            tab(driver, "connect")
            submit(driver, "enrol-form", {"tenant": tenant})
            command = t.visible(driver, "#enrol-command", 20).text
            t.expect("aifactory agent --server" in command and "--enroll-token aif" in command, f"one agent command: {command!r}")
            t.expect("/sd/prometheus?exporter=dcgm" in driver.find_element(By.ID, "sd-config").text, "service-discovery configuration shown")

            # A node registered for the new tenant, then removed on the page: it leaves SD.
            status, created = api("POST", "admin/nodes", {
                "name": node, "host": "127.0.0.1", "dcgmAddress": "127.0.0.1:9", "gpuModel": "NVIDIA RTX 4000 Ada Generation", "gpuCount": 1,
                "gpuMemoryMiB": 20475, "gpuClass": "ada-16", "tenant": tenant})
            t.expect(status == 201, f"node registered: {status} {created}")
            t.expect(node in sd_targets(), "the registered node is in service discovery")
            tab(driver, "nodes")
            remove_row(driver, "nodes-table", node)
            t.expect(f"Removed node {node}" in status_text(driver), f"status: {status_text(driver)!r}")
            t.expect(node not in sd_targets(), "the removed node left service discovery")

            tab(driver, "tenants")
            remove_row(driver, "tenants-table", tenant)
            status, _ = api("GET", "admin/tenants")
            t.expect(status == 200 and tenant not in {x["name"] for x in _}, "tenant removed")

            tab(driver, "audit")
            driver.find_element(By.ID, "audit-action").send_keys("key.revoke")
            driver.find_element(By.CSS_SELECTOR, "#audit-filters button[type=submit]").click()
            t.wait(driver, lambda d: all(r.get_attribute("data-action") == "key.revoke" for r in d.find_elements(By.CSS_SELECTOR, "#audit-table tbody tr"))
                   and d.find_elements(By.CSS_SELECTOR, "#audit-table tbody tr"), 20, "audit filtered to key.revoke")
            t.screenshot(driver, "operator-console-audit")
            # The refused tenant name above is the one failed request the browser logs.
            errors = t.console_errors(driver, allowed=[r"/api/v1/admin/tenants .*422"])
            t.expect(not errors, f"console errors: {errors}")
        finally:
            driver.quit()

    def test_member_sees_no_admin_panels():
        """A member of a hardware tenant gets the tenant's cards and none of the admin-only panels."""
        status, user = api("POST", "admin/users", {"name": f"acme-viewer-{os.getpid() % 10000}-{int(time.time()) % 100000}", "kind": "tenant-member"},
                           key=t.key_for("acme"))
        t.expect(status == 201, f"member created: {status} {user}")
        status, created = api("POST", f"admin/users/{user['id']}/keys", {"label": "browser test"}, key=t.key_for("acme"))
        t.expect(status == 201, f"member key: {status}")
        driver = t.make_driver()
        try:
            t.login(driver, "acme", key=created["apiKey"])
            t.visible(driver, "#cards .card")
            time.sleep(3)  # GET me has answered and the panels had their chance to mount
            for panel in ("console-panel", "diagnostics-panel", "validate-panel", "bench-form", "operator-view"):
                t.expect(not driver.find_elements(By.ID, panel), f"{panel} shown to a member")
            errors = t.console_errors(driver)
            t.expect(not errors, f"console errors: {errors}")
        finally:
            driver.quit()

    return [test_operator_fleet_view, test_operator_console, test_member_sees_no_admin_panels]
