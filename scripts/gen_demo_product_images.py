#!/usr/bin/env python3
"""Draw the demo products' pictures (our own, generated): a case in the category's colour with the
product's shape (bottle, bag, tube, spray) and its reference. Run once after adding a demo product
(`python3 scripts/gen_demo_product_images.py`); the PNGs are committed in
addons/distribution_core/static/img/demo_products/ and named in demo/product_demo.xml."""
import os
import re

from PIL import Image, ImageDraw, ImageFont

CORE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "addons", "distribution_core")

COLORS = {"BV": ((33, 150, 243), (227, 242, 253)), "SN": ((255, 152, 0), (255, 243, 224)),
          "PC": ((156, 39, 176), (243, 229, 245)), "HC": ((0, 150, 136), (224, 242, 241))}
with open(os.path.join(CORE, "demo", "product_demo.xml"), encoding="utf-8") as demo:
    xml = demo.read()
codes = re.findall(r'<field name="default_code">([A-Z]{2}-\d{3})</field>', xml)
try:
    font = ImageFont.truetype("DejaVuSans-Bold.ttf", 34)
except OSError:
    font = ImageFont.load_default()
for index, code in enumerate(codes):
    cat = code[:2]
    dark, light = COLORS[cat]
    img = Image.new("RGB", (256, 256), light)
    d = ImageDraw.Draw(img)
    # the case
    d.rounded_rectangle((28, 60, 228, 228), radius=14, fill=(255, 255, 255), outline=dark, width=6)
    d.line((28, 100, 228, 100), fill=dark, width=4)
    shade = tuple(int(c * (0.75 + 0.05 * (index % 5))) for c in dark)
    # what is in it, drawn on the case
    if cat == "BV":  # bottles
        for x in (70, 128, 186):
            d.rounded_rectangle((x - 14, 120, x + 14, 210), radius=8, fill=shade)
            d.rectangle((x - 6, 108, x + 6, 122), fill=shade)
    elif cat == "SN":  # bags
        for x in (80, 176):
            d.rounded_rectangle((x - 34, 118, x + 34, 212), radius=10, fill=shade)
            d.line((x - 34, 132, x + 34, 132), fill=light, width=3)
    elif cat == "PC":  # tubes and pumps
        d.rounded_rectangle((60, 130, 110, 212), radius=10, fill=shade)
        d.rectangle((78, 112, 92, 130), fill=shade)
        d.rounded_rectangle((146, 120, 196, 212), radius=6, fill=shade)
        d.polygon(((150, 120), (192, 120), (171, 106)), fill=shade)
    else:  # spray and jug
        d.rounded_rectangle((56, 136, 116, 212), radius=8, fill=shade)
        d.rectangle((76, 116, 96, 136), fill=shade)
        d.rectangle((96, 116, 118, 124), fill=shade)
        d.rounded_rectangle((140, 126, 204, 212), radius=12, fill=shade)
        d.ellipse((160, 110, 184, 130), outline=shade, width=6)
    # the reference on a band at the top
    d.rounded_rectangle((28, 14, 228, 54), radius=10, fill=dark)
    d.text((128, 34), code, fill=(255, 255, 255), font=font, anchor="mm")
    img = img.quantize(colors=32)
    img.save(os.path.join(CORE, "static", "img", "demo_products", f"{code.lower().replace('-', '_')}.png"), optimize=True)
print(len(codes))
