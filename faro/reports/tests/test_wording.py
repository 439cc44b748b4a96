"""The headline sentence, value formatting and small-number suppression."""

from django.utils import translation

from faro.reports.dimensions import Row
from faro.reports.figures import FIGURES
from faro.reports.wording import format_value, headline, public_headline, public_rows, public_value

DEMO = {
    "scholarships_awarded": 401,
    "scholarship_member_states": 29,
    "courses": 12,
    "webinars": 14,
    "webinar_unique_attendees": 3012,
    "webinar_member_states": 27,
}


def test_the_headline_reads_like_the_2020_message() -> None:
    assert headline(DEMO) == (
        "401 scholarships to officials from 29 member states for 12 courses; "
        "14 webinars reaching 3,012 port officers from 27 member states."
    )


def test_the_headline_uses_singulars_and_each_languages_plural_forms() -> None:
    one = {"scholarships_awarded": 1, "scholarship_member_states": 1, "courses": 1}
    assert headline(one) == "1 scholarship to officials from 1 member state for 1 course."
    with translation.override("es"):
        assert headline(DEMO).startswith(
            "401 becas para funcionarios de 29 Estados miembros en 12 cursos; 14 webinarios"
        )
        assert "3\xa0012 funcionarios portuarios" in headline(DEMO)  # Spanish groups with a no-break space
    with translation.override("fr"):
        assert headline(one).startswith("1 bourse pour des agents de 1 État membre dans 1 cours")


def test_an_empty_period_has_a_sentence_too() -> None:
    assert "no webinars" in headline({})


def test_values_are_formatted_by_kind() -> None:
    assert format_value(FIGURES["women_share"], 0.415) == "41.5%"
    assert format_value(FIGURES["webinar_satisfaction"], 4.26) == "4.3 / 5"
    assert format_value(FIGURES["women_share"], None) == "—"


def test_figures_about_fewer_than_five_people_are_suppressed() -> None:
    values = {"people_reached": 3, "women_share": 0.667, "courses": 2}
    assert public_value("people_reached", 3, values).text == "fewer than 5"
    assert public_value("women_share", 0.667, values).suppressed
    assert public_value("courses", 2, values).text == "2"  # courses are not people
    assert not public_value("people_reached", 0, values).suppressed
    big = {"people_reached": 100, "women_share": 0.97}
    assert public_value("women_share", 0.97, big).suppressed  # 3 men could be singled out


def test_one_small_row_takes_the_next_smallest_with_it() -> None:
    rows = [Row("BR", "Brazil", 40, 0.8), Row("PE", "Peru", 7, 0.14), Row("JM", "Jamaica", 3, 0.06)]
    # Jamaica alone would be "fewer than 5" and its 3 could be worked out from the total: Peru joins it.
    assert public_rows(rows, "Other member states") == [("Brazil", "40"), ("Other member states", "10")]


def test_the_public_headline_is_left_out_when_it_would_describe_few_people() -> None:
    assert public_headline(DEMO).startswith("401")
    assert public_headline(DEMO | {"webinar_unique_attendees": 4}) == ""
