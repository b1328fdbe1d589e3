"""Draws media/icon.png (the extension icon): a magnifying lens over a grey scan with a segmented region.

Run with /usr/bin/python3 (PIL). Drawn at 4x and downsampled for smooth edges.
"""
import math
import os
from PIL import Image, ImageDraw, ImageFilter

S = 512
img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
d = ImageDraw.Draw(img)
# Rounded dark tile.
d.rounded_rectangle([8, 8, S - 8, S - 8], radius=96, fill=(30, 34, 48, 255))

# A grey "scan" inside the lens: concentric soft rings like an axial MRI slice.
scan = Image.new("L", (S, S), 0)
sd = ImageDraw.Draw(scan)
cx, cy, r = 220, 220, 150
for i in range(30, 0, -1):
    g = int(60 + 150 * (1 - i / 30) ** 0.7)
    rr = r * i / 30
    sd.ellipse([cx - rr * 0.9, cy - rr, cx + rr * 0.9, cy + rr], fill=g)
scan = scan.filter(ImageFilter.GaussianBlur(6))
lens_mask = Image.new("L", (S, S), 0)
ImageDraw.Draw(lens_mask).ellipse([cx - r, cy - r, cx + r, cy + r], fill=255)
img.paste(Image.merge("RGBA", (scan, scan, scan, lens_mask)), (0, 0), lens_mask)

# The segmented structure: an orange filled blob with a bright outline, and a small blue one.
def blob(cx0, cy0, rad, wobble, n=90):
    pts = []
    for k in range(n):
        a = 2 * math.pi * k / n
        rr = rad * (1 + wobble * math.sin(3 * a) + 0.5 * wobble * math.cos(5 * a))
        pts.append((cx0 + rr * math.cos(a), cy0 + rr * math.sin(a)))
    return pts

over = Image.new("RGBA", (S, S), (0, 0, 0, 0))
od = ImageDraw.Draw(over)
p1 = blob(200, 205, 62, 0.12)
od.polygon(p1, fill=(255, 127, 14, 150))
od.line(p1 + [p1[0]], fill=(255, 170, 60, 255), width=10)
p2 = blob(275, 270, 26, 0.15)
od.polygon(p2, fill=(31, 119, 180, 170))
od.line(p2 + [p2[0]], fill=(90, 170, 230, 255), width=8)
over.putalpha(Image.composite(over.getchannel("A"), Image.new("L", (S, S), 0), lens_mask))
img = Image.alpha_composite(img, over)

# Lens ring and handle.
d = ImageDraw.Draw(img)
d.ellipse([cx - r - 14, cy - r - 14, cx + r + 14, cy + r + 14], outline=(220, 226, 240, 255), width=28)
a = math.radians(45)
x0, y0 = cx + (r + 14) * math.cos(a), cy + (r + 14) * math.sin(a)
d.line([x0, y0, 448, 448], fill=(220, 226, 240, 255), width=56)
d.ellipse([448 - 28, 448 - 28, 448 + 28, 448 + 28], fill=(220, 226, 240, 255))

out = os.path.join(os.path.dirname(__file__), "..", "media", "icon.png")
img.resize((128, 128), Image.LANCZOS).save(out, optimize=True)
print("wrote", os.path.normpath(out))
