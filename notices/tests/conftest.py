import pytest

from .smtp import mail_settings, smtp_server


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 that the app's mail settings point at: its Inbox."""
    with smtp_server() as (inbox, port):
        mail_settings(settings, port)
        inbox.port = port
        yield inbox
