"""Fixtures shared by the outreach tests."""

import pytest

from outreach.models import Concern
from outreach.services import concern_create
from unions.tests.factories import EnterpriseFactory


@pytest.fixture
def wage_arrears(cadre, town):
    """A wage-arrears problem of three workers, received by the cadre (the referral tests' case)."""
    return concern_create(
        received_by=cadre,
        category=Concern.Category.WAGES,
        description="三名职工被拖欠两个月工资。",
        enterprise=EnterpriseFactory(district_union=town, name="五洋纺织机械有限公司"),
        worker_name="李强",
        worker_phone="13812345678",
        workers_affected=3,
    )
