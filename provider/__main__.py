"""The connect-chat plugin: serves ConnectChat to `pulumi package add` and to deployments.

Pulumi's Python language host runs `<plugin venv>/bin/python <this folder> <engine address>`
from the consumer's project folder; the venv holds connect_chat, which requirements.txt installs
from the repository root, so nothing here depends on the working directory.
"""

from importlib.metadata import version

from connect_chat import ConnectChat
from pulumi.provider.experimental import component_provider_host

# The package name is the type token's prefix (connect-chat:index:ConnectChat) and the name
# consumers' Pulumi.yaml `packages:` entries use. No namespace: see docs/architecture.md.
PACKAGE_NAME = "connect-chat"


def main() -> None:
    # A git source's tag overrides this version; a local path source reports the package's own.
    component_provider_host([ConnectChat], PACKAGE_NAME, version=version(PACKAGE_NAME))


# Guarded: the analyzer may import this module, which must then not start a server.
if __name__ == "__main__":
    main()
