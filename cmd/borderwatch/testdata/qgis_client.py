# Loads Borderwatch collections in QGIS (headless) through its OAPIF
# provider and prints, per collection, the layer's geometry type, how many
# features QGIS read, and how many of them it can draw in that layer (a
# geometry of another type than the layer's is not drawn or saved).
import json
import os
import sys

from qgis.core import QgsApplication, QgsVectorLayer, QgsWkbTypes

app = QgsApplication([], False)
app.initQgis()
url = sys.argv[1]
out = {}
for name in sys.argv[2:]:
    layer = QgsVectorLayer(f"url='{url}' typename='{name}'", name, "OAPIF")
    if not layer.isValid():
        out[name] = {"error": layer.error().summary()}
        continue
    layer_type = QgsWkbTypes.geometryType(layer.wkbType())
    read = drawable = 0
    for f in layer.getFeatures():
        read += 1
        if f.hasGeometry() and QgsWkbTypes.geometryType(f.geometry().wkbType()) == layer_type:
            drawable += 1
    out[name] = {"type": QgsWkbTypes.displayString(layer.wkbType()), "read": read, "drawable": drawable}
print(json.dumps(out), flush=True)
# QGIS 3.22 can crash in exitQgis() after OAPIF requests: leave at once.
os._exit(0)
