#!/usr/bin/env bash
# Installs GStreamer's RTSP server (Debian packages) for the RTSP camera test, if missing: the test
# serves the sample videos as H.264 over RTSP with credentials through deploy/bin/rtsp-camera.py.
# Called by the build before the integration tests; never downloads anything from elsewhere.
set -euo pipefail
ready() {
  /usr/bin/python3 -c "import gi; gi.require_version('GstRtspServer', '1.0'); \
gi.require_version('Gst', '1.0'); from gi.repository import Gst, GstRtspServer; Gst.init(None); \
assert Gst.ElementFactory.find('rtph264pay') and Gst.ElementFactory.find('qtdemux')" 2>/dev/null
}
if ready; then
  exit 0
fi
if [[ $(id -u) -eq 0 ]]; then
  SUDO=""
elif command -v sudo >/dev/null; then
  SUDO="sudo -n"
else
  echo "install-rtsp-server: need root or sudo to install Debian's GStreamer RTSP server" >&2
  exit 1
fi
echo "install-rtsp-server: installing Debian's GStreamer RTSP server" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends python3-gi gir1.2-gstreamer-1.0 \
  gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good >/dev/null
ready
