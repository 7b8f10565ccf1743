import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from unions.models import Cadre, DistrictUnion, EnterpriseUnion
from unions.validators import credit_code_check_char


def valid_credit_code(n: int) -> str:
    body = f"91320412{n:09d}"
    return body + credit_code_check_char(body)


SHARED_DISTRICT = {"code": "320412", "name": "武进区总工会"}


def shared_district() -> DistrictUnion:
    """The district that towns, enterprises and cadres are built in unless a test asks for
    another one (the `district` fixture is this district)."""
    district, _created = DistrictUnion.objects.get_or_create(
        code=SHARED_DISTRICT["code"],
        defaults={"name": SHARED_DISTRICT["name"], "level": DistrictUnion.Level.DISTRICT},
    )
    return district


class DistrictFactory(DjangoModelFactory):
    """Another district, for tests about what lies outside a district; its codes never meet
    the shared district's 320412."""

    class Meta:
        model = DistrictUnion

    name = factory.Sequence(lambda n: f"第{n}区总工会")
    code = factory.Sequence(lambda n: f"{420000 + n}")
    level = DistrictUnion.Level.DISTRICT
    parent = None


class CityFactory(DjangoModelFactory):
    """A city federation (市总工会) above districts."""

    class Meta:
        model = DistrictUnion

    name = factory.Sequence(lambda n: f"第{n}市总工会")
    code = factory.Sequence(lambda n: f"{3300 + n:04d}00")
    level = DistrictUnion.Level.CITY
    parent = None


class TownFactory(DjangoModelFactory):
    class Meta:
        model = DistrictUnion

    name = factory.Sequence(lambda n: f"第{n}镇总工会")
    # A town's 12-digit code starts with its district's 6 digits.
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code}{n:06d}" if o.parent.code else "")
    level = DistrictUnion.Level.TOWN
    parent = factory.LazyFunction(shared_district)


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = EnterpriseUnion

    name = factory.Sequence(lambda n: f"常州第{n}机械有限公司")
    credit_code = factory.Sequence(valid_credit_code)
    district_union = factory.SubFactory(TownFactory)
    employees = 120
    members = 100
    has_union = True
    has_office = False
    chair_name = factory.Faker("name", locale="zh_CN")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")


class CadreFactory(DjangoModelFactory):
    class Meta:
        model = Cadre

    user = factory.SubFactory(UserFactory)
    name = factory.Faker("name", locale="zh_CN")
    unit = factory.SubFactory(TownFactory)
    post = "干事"
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    role = Cadre.Role.CADRE


class LeaderFactory(CadreFactory):
    role = Cadre.Role.LEADER


class AdminCadreFactory(CadreFactory):
    role = Cadre.Role.ADMIN
    user = factory.SubFactory(UserFactory, is_staff=True, is_superuser=True)
