from tests.oidc import oidc_provider, oma_oidc  # noqa: F401 - fixtures for this folder
