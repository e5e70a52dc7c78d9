"""Prints the PromQL expressions of a Grafana dashboard as a Prometheus rule file, so `promtool check rules` parses
them. Grafana's variables are replaced by plain values ($__rate_interval by 5m, $job, $instance)."""
import json
import sys

dashboard = json.load(open(sys.argv[1], encoding="utf-8"))
expressions = []


def walk(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "expr" and isinstance(value, str):
                expressions.append(value)
            else:
                walk(value)
    elif isinstance(node, list):
        for value in node:
            walk(value)


walk(dashboard.get("panels", []))
if not expressions:
    sys.exit("no PromQL expressions found in " + sys.argv[1])
print("groups:\n  - name: dashboard-expressions\n    rules:")
for i, expr in enumerate(expressions):
    for variable, value in (("$__rate_interval", "5m"), ("$__range", "1h"), ("$job", "acs-lifecycle"), ("$instance", ".*")):
        expr = expr.replace(variable, value)
    print(f"      - record: dashboard:expression_{i}\n        expr: {json.dumps(expr)}")
