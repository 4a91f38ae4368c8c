# real.deploy.bootstrap: what runs on the instances. s3_get.py signs like AWS's SigV4 test suite, the
# launch templates embed it verbatim, and each systemd unit uses only variables its user data writes.
import json
import os
import re
import sys
import unittest

DEPLOY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, DEPLOY)
import s3_get  # noqa: E402
from cfn_yaml import load_template  # noqa: E402
from check_template import user_data_text  # noqa: E402

VECTORS = os.path.join(DEPLOY, "..", "common", "testdata", "aws-sigv4")
BEGIN, END = "# --- s3_get.py begin ---\n", "# --- s3_get.py end ---\n"
WORKER_CONFIG = os.path.join(DEPLOY, "..", "worker", "worker_config.cpp")
UNIT_OF = {"ApiLaunchTemplate": "archlab-api.service", "WorkerLaunchTemplate": "archlab-worker.service"}


def env_block(user_data):
    """The lines the user data writes to /etc/archlab/archlab.env."""
    return user_data.split("<<'ARCHLAB_ENV'\n", 1)[1].split("ARCHLAB_ENV\n", 1)[0]


def launch_templates():
    resources = load_template(os.path.join(DEPLOY, "code-runner.yaml"))["Resources"]
    return {name: user_data_text(resources[name]["Properties"]["LaunchTemplateData"]) for name in UNIT_OF}


class BootstrapTest(unittest.TestCase):
    def test_signer_matches_aws_vectors(self):
        for vector in ["get-vanilla", "get-vanilla-with-session-token"]:
            with self.subTest(vector):
                folder = os.path.join(VECTORS, vector)
                with open(os.path.join(folder, "context.json"), encoding="utf-8") as handle:
                    context = json.load(handle)
                with open(os.path.join(folder, "header-signed-request.txt"), encoding="utf-8") as handle:
                    expected = re.search(r"^Authorization:(.*)$", handle.read(), re.M).group(1)
                amz_date = context["timestamp"].replace("-", "").replace(":", "")
                headers = {"host": "example.amazonaws.com", "x-amz-date": amz_date}
                credentials = context["credentials"]
                if "token" in credentials:
                    headers["x-amz-security-token"] = credentials["token"]
                got = s3_get.authorization("GET", "example.amazonaws.com", "/", headers, s3_get.EMPTY_SHA256,
                                           amz_date, context["region"], context["service"],
                                           credentials["access_key_id"], credentials["secret_access_key"])
                self.assertEqual(got, expected)

    def test_user_data_embeds_s3_get_verbatim(self):
        with open(os.path.join(DEPLOY, "s3_get.py"), encoding="utf-8") as handle:
            source = handle.read()
        self.assertNotIn("${", source, "Fn::Sub would substitute it")
        for name, text in launch_templates().items():
            with self.subTest(name):
                self.assertIn(BEGIN, text)
                embedded = text.split(BEGIN, 1)[1].split(END, 1)[0]
                self.assertEqual(embedded, source, f"{name}: copy of s3_get.py differs; paste the file again")

    def test_units_use_only_variables_the_user_data_writes(self):
        for name, text in launch_templates().items():
            with self.subTest(name):
                written = set(re.findall(r"^([A-Z_0-9]+)=", env_block(text), re.M))
                self.assertLessEqual({"AWS_REGION", "ARCHLAB_QUEUE_URL", "ARCHLAB_TABLE_NAME"}, written)
                with open(os.path.join(DEPLOY, "systemd", UNIT_OF[name]), encoding="utf-8") as handle:
                    unit = handle.read()
                self.assertIn("EnvironmentFile=/etc/archlab/archlab.env", unit)
                used = set(re.findall(r"\$\{([A-Z_0-9]+)\}", unit))
                self.assertLessEqual(used, written, f"{UNIT_OF[name]} uses variables {name} never writes")
                self.assertIn(f"systemctl enable --now {UNIT_OF[name]}", text)

    def test_worker_knows_every_variable_it_is_given(self):
        # archlab-worker ignores an environment variable it does not know: a misspelt one would
        # silently leave a default (e.g. a 30 s visibility timeout on a 60 s queue).
        if not os.path.exists(WORKER_CONFIG):
            self.skipTest("real/worker/worker_config.cpp not present")
        with open(WORKER_CONFIG, encoding="utf-8") as handle:
            known = set(re.findall(r'"(ARCHLAB_[A-Z_0-9]+)"', handle.read()))
        written = set(re.findall(r"^(ARCHLAB_[A-Z_0-9]+)=", env_block(launch_templates()["WorkerLaunchTemplate"]),
                                 re.M))
        self.assertTrue(known, "no ARCHLAB_* names found in worker_config.cpp")
        self.assertLessEqual(written, known, f"unknown to archlab-worker: {sorted(written - known)}")

if __name__ == "__main__":
    unittest.main()
