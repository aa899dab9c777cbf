# Dev-only oracle (not run by the suite: tro-utils is not packaged in Debian): checks `pe-trace sign --format tro-utils`
# output with tro-utils' own code: its TRO model round trip, its python-gnupg wrapper on the .sig, and its
# verify_timestamp() on the .tsr (its hard-coded freetsa.org certificate downloads are redirected to local files).
# Usage: GPG_HOME=EMPTY_DIR python3 tro-utils-check.py TRO_UTILS_SRC TRO.jsonld TSA_CERT CA_CERT
# (Debian: python3-gnupg python3-rfc3161ng python3-magic python3-click python3-rich python3-jinja2 python3-graphviz python3-packaging)
import json
import sys

src, tro_path, tsa_cert, ca_cert = sys.argv[1:5]
sys.path.insert(0, src)
import requests  # noqa: E402
from tro_utils.tro_utils import TRO  # noqa: E402

tro = TRO(filepath=tro_path)
base = tro_path[: -len('.jsonld')]
ours = json.dumps(json.load(open(tro_path)), indent=2, sort_keys=True)
theirs = json.dumps(tro.data, indent=2, sort_keys=True)
print('tro-utils model round trip equals the file JSON:', ours == theirs)
print('keys imported:', tro.gpg.import_keys(open(base + '.pub.asc').read()).count)
verified = tro.gpg.verify_data(base + '.sig', theirs.encode())
print('tro-utils gpg.verify_data:', bool(verified), verified.status, verified.username)


class Response:
    def __init__(self, content):
        self.content = content


files = {'https://freetsa.org/files/tsa.crt': tsa_cert, 'https://freetsa.org/files/cacert.pem': ca_cert}
requests.get = lambda url, **kw: Response(open(files[url], 'rb').read())
tro.verify_timestamp()  # raises CalledProcessError unless `openssl ts -verify` says OK
print('tro-utils verify_timestamp: ok')
sys.exit(0 if bool(verified) and ours == theirs else 1)
