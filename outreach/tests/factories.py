import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from outreach.models import (
    Brief,
    Campaign,
    CampaignCategory,
    Concern,
    ModelCase,
    Nomination,
    Notice,
    Opinion,
    OpinionTheme,
    Referral,
    Visit,
    VisitPhoto,
)
from unions.tests.factories import CadreFactory, EnterpriseFactory, shared_district


class VisitFactory(DjangoModelFactory):
    class Meta:
        model = Visit
        skip_postgeneration_save = True

    kind = Visit.Kind.WORKER
    date = factory.LazyFunction(lambda: datetime.date(2026, 11, 10))
    cadre = factory.SubFactory(CadreFactory)
    host_enterprise = factory.SubFactory(
        EnterpriseFactory, district_union=factory.SelfAttribute("..cadre.unit")
    )
    host_union = None
    status = Visit.Status.SUBMITTED
    work_done = "在车间跟班劳动一天，了解职工的工作和生活情况。"
    worker_opinions = "希望改善食堂伙食。"

    @factory.post_generation
    def companions(self, create, extracted, **kwargs):
        if create and extracted:
            self.companions.set(extracted)


class ConcernFactory(DjangoModelFactory):
    class Meta:
        model = Concern

    category = Concern.Category.CONCERN
    description = "职工反映加班费计算不清。"
    enterprise = factory.SubFactory(EnterpriseFactory)
    worker_name = "李强"
    worker_phone = "13812345678"
    owner = factory.SubFactory(CadreFactory, unit=factory.SelfAttribute("..enterprise.district_union"))
    received_by = factory.SelfAttribute("owner")
    due_date = factory.LazyFunction(lambda: datetime.date(2026, 11, 20))
    status = Concern.Status.OPEN


def image_file(name: str = "photo.jpg", *, size: tuple[int, int] = (40, 30), fmt: str = "JPEG"):
    """A real (tiny) image upload, as a phone would send it."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


class VisitPhotoFactory(DjangoModelFactory):
    class Meta:
        model = VisitPhoto

    visit = factory.SubFactory(VisitFactory)
    image = factory.LazyFunction(image_file)
    uploaded_by = factory.SelfAttribute("visit.cadre")


class ReferralFactory(DjangoModelFactory):
    """A legal-aid referral of a wage-arrears problem, submitted by the problem's owner."""

    class Meta:
        model = Referral

    concern = factory.SubFactory(ConcernFactory, category=Concern.Category.LEGAL_AID)
    kind = Referral.Kind.LEGAL_AID
    worker_name = "李强"
    worker_phone = "13812345678"
    dispute_type = Referral.DisputeType.WAGE_ARREARS
    employer = factory.LazyAttribute(
        lambda r: r.concern.enterprise.name if r.concern.enterprise else "某公司"
    )
    amount_in_dispute = Decimal("12800.00")
    workers_concerned = 3
    opened_by = factory.SelfAttribute("concern.owner")


def theme(name: str = "工资待遇") -> OpinionTheme:
    """One of the themes the data migration seeds (or a new one)."""
    return OpinionTheme.objects.get_or_create(name=name, defaults={"position": 999})[0]


class OpinionFactory(DjangoModelFactory):
    """A workers' opinion of a submitted visit, tagged by a leader of its town."""

    class Meta:
        model = Opinion

    visit = factory.SubFactory(VisitFactory)
    source = Opinion.Source.OPINION
    theme = factory.LazyFunction(theme)
    text = factory.SelfAttribute("visit.worker_opinions")
    tagged_by = factory.SubFactory(
        "unions.tests.factories.LeaderFactory", unit=factory.SelfAttribute("..visit.town")
    )


def _days(n: int):
    return factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=n))


class CampaignFactory(DjangoModelFactory):
    """A campaign of the shared district whose nominations are open today."""

    class Meta:
        model = Campaign

    name = "三个100"
    unit = factory.LazyFunction(shared_district)
    nomination_opens = _days(-5)
    nomination_closes = _days(5)
    review_closes = _days(20)

    class Params:
        reviewing = factory.Trait(nomination_opens=_days(-20), nomination_closes=_days(-1))


class CampaignCategoryFactory(DjangoModelFactory):
    class Meta:
        model = CampaignCategory

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"百家模范职工之家 {n}")
    nominee_kind = CampaignCategory.NomineeKind.ENTERPRISE
    quota = 100


class NominationFactory(DjangoModelFactory):
    """An enterprise union nominated (its town is the enterprise's)."""

    class Meta:
        model = Nomination

    category = factory.SubFactory(CampaignCategoryFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    town = factory.LazyAttribute(lambda n: n.enterprise.district_union)
    reason = "职工之家建设规范，活动经常。"
    nominated_by = factory.SubFactory(CadreFactory, unit=factory.SelfAttribute("..town"))
    evidence = factory.LazyFunction(lambda: {"visits": 3, "satisfaction": "100%"})


class ModelCaseFactory(DjangoModelFactory):
    class Meta:
        model = ModelCase

    visit = factory.SubFactory(VisitFactory)
    title = "跟班劳动中化解加班费纠纷"
    write_up = "走访中了解到职工对加班费计算有疑问，当场与企业沟通，明确计算办法。"
    marked_by = factory.SubFactory(CadreFactory, unit=factory.SelfAttribute("..visit.town"))


class NoticeFactory(DjangoModelFactory):
    class Meta:
        model = Notice

    recipient = factory.SubFactory(CadreFactory)
    kind = Notice.Kind.VISIT_RETURNED
    key = factory.Sequence(lambda n: f"v{n}-2")
    visit = factory.SubFactory(VisitFactory, cadre=factory.SelfAttribute("..recipient"), status="returned")
    text = "请补充走访内容。"


class BriefFactory(DjangoModelFactory):
    """A draft monthly brief of a town, for November 2026 (the visits' month)."""

    class Meta:
        model = Brief

    unit = factory.LazyAttribute(lambda b: b.created_by.unit)
    period = Brief.Period.MONTH
    year = 2026
    number = 11
    title = factory.LazyAttribute(lambda b: f"{b.unit.name}民情专报（2026年11月）")
    created_by = factory.SubFactory("unions.tests.factories.LeaderFactory")
