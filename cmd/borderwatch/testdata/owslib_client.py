# Reads a Borderwatch server with OWSLib's OGC API - Features client, as
# its users script it (default headers), and prints what it got as JSON.
import json
import sys

from owslib.ogcapi.features import Features

url = sys.argv[1]
api = Features(url)
out = {
    "conformance": api.conformance()["conformsTo"],
    "collections": [c["id"] for c in api.collections()["collections"]],
    "incidents": api.collection("incidents")["title"],
}
items = api.collection_items("incidents", bbox=[11.0, 32.9, 11.6, 33.3], limit=2)
out["bbox_matched"] = items["numberMatched"]
out["bbox_returned"] = [str(f["id"]) for f in items["features"]]
out["item_title"] = api.collection_item("incidents", "3")["properties"]["title"]
print(json.dumps(out))
