"""A procedure cannot name a partnership role after one of the recipients the policy keeps for itself."""

from __future__ import annotations

import pytest

from resolve.procedures.loader import DefinitionError, load_text
from resolve.procedures.schema import PARTY_RECIPIENTS
from tests.procedures.test_loader import MINIMAL

WITH_ROLE = MINIMAL.replace(
    "pathways:\n",
    "roles:\n  - {slug: ROLE, name: The role, kind: other, source: p1}\npathways:\n",
)


@pytest.mark.parametrize("reserved", [r for r in PARTY_RECIPIENTS if "_" not in r])
def test_a_definition_naming_a_role_after_a_reserved_recipient_is_refused_with_a_clear_message(reserved: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        load_text(WITH_ROLE.replace("ROLE", reserved), filename="ours.yaml")
    message = " ".join(str(p) for p in caught.value.problems)
    assert f"role {reserved!r} is a name Resolve keeps for the people a notification goes to" in message
    assert "give the role another slug" in message


def test_a_definition_with_an_ordinary_role_slug_loads() -> None:
    procedure = load_text(WITH_ROLE.replace("ROLE", "business-unit"), filename="ours.yaml")
    assert [r.slug for r in procedure.roles] == ["business-unit"]
