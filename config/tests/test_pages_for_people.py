"""What a person with a browser meets: a landing page at /, and the API's errors as HTML pages, not source."""

from http import HTTPStatus

BROWSER = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_the_root_is_a_landing_page_that_says_what_this_is_and_where_to_go(client, db):
    response = client.get("/", **BROWSER)

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    for link in ('href="/admin/"', 'href="/api/v1/docs"', 'href="/api/v1/schema"', 'href="/healthz"'):
        assert link in page
    assert "which student takes which course" in page


def test_the_landing_page_offers_a_way_in_to_the_browsable_api(client, db):
    page = client.get("/", **BROWSER).content.decode()

    assert 'href="/admin/login/?next=/api/v1/"' in page


def test_the_landing_page_names_who_is_signed_in(admin_client):
    page = admin_client.get("/", **BROWSER).content.decode()

    assert "Signed in as <strong>admin</strong>" in page


def test_an_api_error_a_browser_asks_for_is_an_html_page(client, db):
    response = client.get("/api/v1/", **BROWSER)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"].startswith("text/html")
    assert b"<html" in response.content


def test_an_api_error_a_client_asks_for_is_still_problem_details(client, db):
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == "application/problem+json"
