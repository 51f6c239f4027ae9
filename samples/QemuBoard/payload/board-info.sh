#!/bin/sh
# Deployed by the DeviceArtifact item in QemuBoard.csproj: the test adapter puts it on the board after boot.
echo "board: $(hostname) $(uname -m)"
