import pytest

from schools.models import Org, OrgType


@pytest.fixture
def district(db) -> Org:
    """The district above the first school (the settings' when they name one)."""
    district = Org.objects.filter(type=OrgType.DISTRICT).first() or Org.objects.create(
        name="Unified", type=OrgType.DISTRICT
    )
    Org.objects.filter(id=Org.objects.first_school().id).update(parent=district)
    return district


@pytest.fixture
def north(district) -> Org:
    """The first school (every factory's default), in the district."""
    return Org.objects.first_school()


@pytest.fixture
def south(district) -> Org:
    return Org.objects.create(name="South High", type=OrgType.SCHOOL, parent=district)
