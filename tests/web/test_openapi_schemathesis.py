"""schemathesis against the published OpenAPI document: no request it generates gets a server error or
an answer that breaks the document's own schema."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.core.result import Err, Ok
from web.conftest import web_config
from web.web_world import CHEF, WebWorld, access_token, person

from lerum_flow.web.app import create_app
from lerum_flow.web.config import OidcSettings

pytestmark = pytest.mark.property

# Each operation's examples are run inside one test (schemathesis's pytest fixture loader does not
# work with this pytest), so the numbers stay small: the store is the test's, the app one per test.
EXAMPLES_PER_OPERATION = 15
# A schema-valid body may still be refused: whether a recipient exists, or a title is empty where the
# commands (not the document) say what is valid, is the application's to decide, in Swedish, as a 422.
EXCLUDED = [positive_data_acceptance]


def test_the_api_answers_every_generated_request_within_its_schema(
    world: WebWorld, oidc: OidcSettings
) -> None:
    """Logged in as the chef, any generated request to any operation is answered as documented, never 5xx."""
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app(web_config(world, oidc)))
    headers = {"Authorization": f"Bearer {access_token(oidc, person(CHEF))}"}
    results = list(schema.get_all_operations())
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) == len(results), [r.err() for r in results if isinstance(r, Err)]
    assert len(operations) >= 28  # every operation of the API, the registers, the revision and the årshjul

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case: schemathesis.Case[Any]) -> None:
            case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)

        answers_as_documented()
