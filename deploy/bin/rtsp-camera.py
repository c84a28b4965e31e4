#!/usr/bin/python3
"""A city camera for tests: serves a video file as H.264 over RTSP with basic authentication.

GStreamer's RTSP server (Debian: gir1.2-gst-rtsp-server-1.0, gstreamer1.0-plugins-good,
python3-gi; deploy/bin/install-rtsp-server.sh installs them). The file's H.264 is sent as it is
(no re-encoding), paced in real time, looped. Usage:

    rtsp-camera.py --port 8554 --path /cam --user U --password P VIDEO.mp4

Prints "ready rtsp://127.0.0.1:PORT/PATH" on stdout once it listens; runs until killed.
"""
import argparse
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=8554)
    p.add_argument("--path", default="/cam")
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("video")
    a = p.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(a.port))

    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string("media.factory.role", "camera-viewer")
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(a.user, a.password), token)
    server.set_auth(auth)

    factory = GstRtspServer.RTSPMediaFactory()
    location = a.video.replace("\\", "\\\\").replace('"', '\\"')
    factory.set_launch(
        '( filesrc location="%s" ! qtdemux ! h264parse config-interval=-1 '
        "! rtph264pay name=pay0 pt=96 )" % location
    )
    factory.set_shared(True)
    permissions = GstRtspServer.RTSPPermissions()
    permissions.add_permission_for_role("camera-viewer", "media.factory.access", True)
    permissions.add_permission_for_role("camera-viewer", "media.factory.construct", True)
    factory.set_permissions(permissions)
    server.get_mount_points().add_factory(a.path, factory)

    if server.attach(None) == 0:
        print("cannot listen on 127.0.0.1:%d" % a.port, file=sys.stderr)
        sys.exit(1)
    print("ready rtsp://127.0.0.1:%d%s" % (a.port, a.path), flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
