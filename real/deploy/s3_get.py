# Downloads one S3 object with the instance role's credentials (IMDSv2), using only Python's standard
# library: Debian's AMI has python3 (cloud-init needs it) but no AWS CLI, and the private subnets have
# no internet route to install one (S3 is reached through the VPC's gateway endpoint).
# Usage: python3 s3_get.py REGION BUCKET KEY OUTPUT_PATH
# The launch templates embed this file verbatim in their user data (real.deploy.s3_get checks that
# the copies match), so it must never contain a dollar sign followed by a brace: Fn::Sub would eat it.
import datetime
import hashlib
import hmac
import json
import sys
import time
import urllib.parse
import urllib.request

IMDS = "http://169.254.169.254/latest"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def imds_credentials():
    # IMDSv2: a session token first (the launch templates set HttpTokens=required).
    token_request = urllib.request.Request(
        IMDS + "/api/token", method="PUT", headers={"X-aws-ec2-metadata-token-ttl-seconds": "300"})
    token = urllib.request.urlopen(token_request, timeout=5).read().decode()
    headers = {"X-aws-ec2-metadata-token": token}

    def get(path):
        request = urllib.request.Request(IMDS + path, headers=headers)
        return urllib.request.urlopen(request, timeout=5).read().decode()

    role = get("/meta-data/iam/security-credentials/").split("\n")[0]
    return json.loads(get("/meta-data/iam/security-credentials/" + role))


def authorization(method, host, path, headers, payload_sha256, amz_date, region, service, key_id, secret):
    # AWS Signature Version 4 with headers (no query string). `headers` must hold host and x-amz-date.
    names = sorted(name.lower() for name in headers)
    lowered = {name.lower(): " ".join(str(value).split()) for name, value in headers.items()}
    canonical_headers = "".join(name + ":" + lowered[name] + "\n" for name in names)
    signed_headers = ";".join(names)
    canonical_request = "\n".join([method, path, "", canonical_headers, signed_headers, payload_sha256])
    scope = "/".join([amz_date[:8], region, service, "aws4_request"])
    string_to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                                hashlib.sha256(canonical_request.encode()).hexdigest()])
    signing_key = ("AWS4" + secret).encode()
    for part in [amz_date[:8], region, service, "aws4_request"]:
        signing_key = hmac.new(signing_key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(signing_key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return ("AWS4-HMAC-SHA256 Credential=" + key_id + "/" + scope + ", SignedHeaders=" + signed_headers
            + ", Signature=" + signature)


def s3_get(region, bucket, key, credentials):
    host = bucket + ".s3." + region + ".amazonaws.com"
    path = "/" + urllib.parse.quote(key, safe="/-_.~")  # S3 paths are encoded once, not normalised
    amz_date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    headers = {"host": host, "x-amz-date": amz_date, "x-amz-content-sha256": EMPTY_SHA256,
               "x-amz-security-token": credentials["Token"]}
    headers["Authorization"] = authorization("GET", host, path, headers, EMPTY_SHA256, amz_date, region, "s3",
                                             credentials["AccessKeyId"], credentials["SecretAccessKey"])
    request = urllib.request.Request("https://" + host + path, headers=headers)
    return urllib.request.urlopen(request, timeout=60).read()


def main(argv):
    if len(argv) != 5:
        print("usage: s3_get.py REGION BUCKET KEY OUTPUT_PATH", file=sys.stderr)
        return 2
    region, bucket, key, output_path = argv[1:]
    # At boot the instance profile's credentials and the gateway endpoint's route can lag by seconds.
    for attempt in range(1, 31):
        try:
            body = s3_get(region, bucket, key, imds_credentials())
            with open(output_path, "wb") as output:
                output.write(body)
            print("s3_get: s3://" + bucket + "/" + key + " -> " + output_path + " (" + str(len(body)) + " bytes)")
            return 0
        except Exception as error:  # report every failure, then retry: the cause is often transient at boot
            print("s3_get: attempt " + str(attempt) + " failed: " + str(error), file=sys.stderr)
            time.sleep(5)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
