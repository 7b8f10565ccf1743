import pytest
from rest_framework.test import APIClient

from api.models import ApiToken


@pytest.fixture
def api():
    """api(cadre) -> a client logged in as the cadre (session, as the app uses it); api() anonymous."""

    def _client(cadre=None, **kwargs):
        client = APIClient(**kwargs)
        if cadre is not None:
            client.force_login(cadre.user)
        return client

    return _client


@pytest.fixture
def token_for():
    """token_for(unit) -> (token, key): a system's token scoped to the unit."""

    def _issue(unit, name="市总工会数据平台"):
        token = ApiToken(name=name, unit=unit)
        key = token.issue_key()
        token.save()
        return token, key

    return _issue
