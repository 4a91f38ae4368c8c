# real.deploy.hourly_cost: the hour's lines come from the template and the price tables, the total is
# their sum, and a missing price or bad input stops the script with exit 2 and a clear message.
import json
import os
import subprocess
import sys
import tempfile
import unittest

DEPLOY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(DEPLOY, "hourly_cost.py")
PRICES = os.path.join(DEPLOY, "..", "..", "models", "prices", "aws-us-east-1.json")


def run(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)


class HourlyCostTest(unittest.TestCase):
    def report(self, *args):
        result = run("--json", *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def test_total_is_the_sum_of_the_lines(self):
        for args in [(), ("--jobs-per-s", "5")]:
            with self.subTest(args):
                report = self.report(*args)
                self.assertAlmostEqual(report["total_usd_per_hour"],
                                       sum(line["usd_per_hour"] for line in report["lines"]), places=12)
                for line in report["lines"]:
                    self.assertAlmostEqual(line["usd_per_hour"], line["quantity"] * line["unit_price_usd"],
                                           places=12)
                self.assertTrue(report["excluded"])

    def test_lines_follow_the_template_and_price_table(self):
        lines = {line["item"]: line for line in self.report()["lines"]}
        self.assertEqual(lines["ApiGroup: 2 x t3.micro"]["usd_per_hour"], 2 * 0.0104)
        self.assertEqual(lines["WorkerGroup: 2 x t3.micro"]["price_key"], "ec2.t3.micro.hour")
        self.assertEqual(lines["LoadBalancer: application load balancer"]["unit_price_usd"], 0.0225)
        self.assertIn("SqsEndpoint: interface endpoint in 2 AZs", lines)
        bigger = {line["item"]: line for line in self.report("--param", "WorkerInstanceType=m5.large",
                                                             "--param", "WorkerDesiredCapacity=3")["lines"]}
        self.assertAlmostEqual(bigger["WorkerGroup: 3 x m5.large"]["usd_per_hour"], 3 * 0.096)

    def test_missing_price_fails_clearly(self):
        with open(PRICES, encoding="utf-8") as handle:
            text = handle.read()
        self.assertIn('"ec2.t3.micro.hour"', text)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "prices.json")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write("\n".join(line for line in text.split("\n") if '"ec2.t3.micro.hour"' not in line))
            result = run("--prices", path)
        self.assertEqual(result.returncode, 2)
        self.assertIn("no price for 'ec2.t3.micro.hour'", result.stderr)
        result = run("--param", "ApiInstanceType=t4g.micro")
        self.assertEqual(result.returncode, 2)
        self.assertIn("no price for 'ec2.t4g.micro.hour'", result.stderr)

    def test_bad_input_exits_2(self):
        with tempfile.TemporaryDirectory() as tmp:
            duplicate = os.path.join(tmp, "extra.json")
            with open(duplicate, "w", encoding="utf-8") as handle:
                json.dump({"items": {"alb.hour": {"price": 1}}}, handle)
            cases = [("--template", os.path.join(tmp, "absent.yaml")), ("--prices", os.path.join(tmp, "absent.json")),
                     ("--extra-prices", duplicate), ("--param", "NoSuchParameter=1"),
                     ("--param", "WorkerDesiredCapacity=two"), ("--jobs-per-s", "-1")]
            for args in cases:
                with self.subTest(args):
                    result = run(*args)
                    self.assertEqual(result.returncode, 2, result.stdout)
                    self.assertTrue(result.stderr.startswith("hourly_cost: "), result.stderr)


if __name__ == "__main__":
    unittest.main()
