"""Choosing a story's points: every distinct fact once, a budget that grows with the facts,
every actor's position, one row per counted figure."""

from __future__ import annotations

from briefing.brief.sections import figures, partition, position_actor
from briefing.brief.selection import facets, leans_on_context, point_budget, reported_claim, same_actor, select_points
from briefing.merge.points import merge_points
from briefing.merge.sameness import FactMatcher
from briefing.model import Citation, Point
from tests.test_merge import point


def chosen_texts(points: list[Point], budget: int, actors: int = 0) -> list[str]:
    return [p.text for p in select_points(points, FactMatcher(), budget, actors=actors)]


# Two outlets report one announcement in different words; other facts of the same story.
PROBE_A = point("a", 3, "The transport ministry announced on Tuesday that it has opened an investigation into the rail operator over the derailment.", 0.9)
PROBE_B = point("b", 5, "On Tuesday the transport ministry launched an investigation into the rail operator over the derailment, officials said.", 0.8)
INJURED = point("a", 5, "Forty passengers were injured and 12 remain in hospital, according to the fire service.", 0.7)
SIGNALS = point("b", 7, "Engineers found that a faulty signal cable had been replaced two weeks before the crash.", 0.6)
UNION = point("c", 2, "The drivers' union demanded that the operator suspend night services until the signals are checked.", 0.5)
COMPENSATION = point("c", 4, "The operator pledged to pay compensation to every injured passenger within a month.", 0.4)


def test_one_announcement_in_two_wordings_is_one_point_citing_both():
    story = {"a": [PROBE_A, INJURED], "b": [PROBE_B, SIGNALS], "c": [UNION, COMPENSATION]}
    merged = [m.point for m in merge_points(story)]
    chosen = select_points(merged, FactMatcher(), budget=len(merged))
    about_probe = [p for p in chosen if "investigation" in p.text]
    assert len(about_probe) == 1
    assert sorted(c.file for c in about_probe[0].citations) == ["in/a.txt", "in/b.txt"]
    # Nothing else was lost for it.
    assert {INJURED.text, SIGNALS.text, UNION.text, COMPENSATION.text} <= {p.text for p in chosen}


def test_a_sentence_that_only_points_back_to_a_chosen_one_is_not_a_second_point():
    lead = point("a", 1, "Regulators opened an investigation into the rail operator after the derailment.", 0.9)
    echo = point("a", 1, "At a press briefing, Transport Minister Dana Reyes announced that officials are looking into the matter.", 0.8)
    injured = point("b", 4, "Forty passengers were injured in the derailment near the junction.", 0.5)
    chosen = chosen_texts([lead, echo, injured], budget=3)
    assert echo.text not in chosen
    assert chosen == [lead.text, injured.text]
    # Without the sentence it leans on, it is a point of its own.
    assert echo.text in chosen_texts([echo, injured], budget=3)


def test_a_restatement_without_new_figures_is_skipped_however_large_the_budget():
    lead = point("a", 1, "The city council approved a ban on diesel buses from 2030.", 0.9)
    again = point("b", 1, "The city council approved a ban on diesel buses from 2030, the mayor's office said.", 0.5)
    with_figure = point("c", 1, "The city council approved a ban on 400 diesel buses from 2030.", 0.4)
    chosen = chosen_texts([lead, again, with_figure], budget=10)
    assert again.text not in chosen
    assert with_figure.text in chosen  # a new figure is a new fact


def test_budget_grows_with_distinct_facts_and_sources_but_slower_than_them():
    budgets = [point_budget(d, 3, cap=40) for d in range(1, 60)]
    assert budgets == sorted(budgets)  # never shrinks as facts grow
    assert point_budget(2, 3, cap=40) == 2  # never more than there are
    assert point_budget(40, 3, cap=40) < 40  # sub-linear
    assert point_budget(40, 3, cap=40) > point_budget(10, 3, cap=40)
    assert point_budget(30, 5, cap=40) > point_budget(30, 2, cap=40)
    assert point_budget(500, 9, cap=12) == 12
    assert point_budget(0, 3, cap=12) == 0


def test_a_story_with_more_distinct_facts_gets_more_points():
    facts = [
        "Forty passengers were injured in the derailment near the junction.",
        "Engineers replaced a faulty signal cable two weeks before the crash.",
        "The drivers' union demanded that night services be suspended.",
        "The operator pledged compensation for every injured passenger.",
        "Insurers estimate the damage to the rolling stock at 9 million euros.",
        "The line between the two cities will stay closed until Friday.",
        "Prosecutors seized the maintenance logs of the signalling contractor.",
        "A parliamentary committee scheduled a hearing for next month.",
        "Commuters were offered replacement buses at 15 stations.",
        "The last derailment on the line happened in 1998.",
        "Rail fares on the route had risen by 6 percent this year.",
        "The contractor's shares fell sharply after the accident.",
    ]
    points = [point(f"s{k % 3}", k, text, 1.0 - k / 100) for k, text in enumerate(facts)]
    few = select_points(points[:4], FactMatcher(), point_budget(4, 3, cap=40))
    many = select_points(points, FactMatcher(), point_budget(len(points), 3, cap=40))
    assert len(many) > len(few)
    assert len(few) == 4  # a small story shows each of its facts


def test_every_actor_with_a_position_or_measure_gets_a_position_line():
    happened = point("a", 1, "A train derailed near the central junction on Monday, injuring forty passengers.", 0.9)
    injured = point("b", 2, "Twelve passengers remain in hospital after the derailment.", 0.8)
    union = point("a", 4, "The drivers' union urged the operator to suspend night services.", 0.3)
    operator = point("b", 6, "The rail company plans to pay compensation to every injured passenger.", 0.2)
    minister = point("c", 3, "Transport Minister Dana Reyes said the government should review all signal contracts.", 0.1)
    candidates = [happened, injured, union, operator, minister]
    chosen = select_points(candidates, FactMatcher(), budget=2, actors=10)
    sections = partition(chosen, [])
    # Each actor once: a position line, or the bottom line when its statement leads the story.
    shown = [position_actor(p.text) for p in sections.bottom_line] + [p.actor for p in sections.positions]
    for expected in ("union", "company", "Reyes"):
        assert sum(expected in (actor or "") for actor in shown) == 1, shown
    assert all(position_actor(p.statement.text) for p in sections.positions)
    assert len({p.actor for p in sections.positions}) == len(sections.positions)
    # With no room for actors, only the budget's points.
    assert len(select_points(candidates, FactMatcher(), budget=2, actors=0)) == 2


def test_one_actor_is_one_position_line():
    first = point("a", 3, "The Acme Standards Commission plans to double its monitoring staff.", 0.5)
    appositive = point("a", 9, "The Acme Standards Commission (ASC), the national regulator, plans to meet on Friday to discuss new rules.", 0.4)
    acronym = point("b", 2, "The ASC also urged platforms to remove such content within a day.", 0.3)
    lead = point("c", 1, "Officials opened an inquiry into the spread of the images online.", 0.9)
    chosen = select_points([lead, first, appositive, acronym], FactMatcher(), budget=1, actors=10)
    assert len(chosen) == 2 and lead in chosen or len(chosen) == 1  # one Acme point, whichever the budget took
    assert sum("Acme" in p.text or "ASC" in p.text for p in chosen) == 1
    assert same_actor("ASC", "Acme Standards Commission") and same_actor("Reyes", "Dana Reyes")
    assert not same_actor("Acme", "Beta Standards Commission")


def test_facets_come_from_general_rules():
    assert "scale" in facets("Forty passengers were injured and 12 remain in hospital.")
    assert "response" in facets("The operator said it was cooperating with investigators.")
    assert "proposal" in facets("The union urged the operator to suspend night services.")
    assert "dispute" in facets("The operator denied that the signals were faulty.")
    assert facets("A train derailed near the junction.") == {"event"}


def test_reported_claim_drops_the_frame_and_context_words_are_seen():
    assert reported_claim("Chief Ana Diaz told reporters on Monday that police opened a probe.") == "police opened a probe."
    assert reported_claim("Police opened a probe.") == "Police opened a probe."
    assert leans_on_context("The minister said officials are looking into the matter.")
    assert leans_on_context("Unions said such closures were unlawful.")
    assert not leans_on_context("Furthermore, the government announced plans to ban the images.")  # goes on with news
    assert not leans_on_context("Other services such as Signal were named.")
    assert not leans_on_context("Police opened a probe into the operator.")


def test_the_same_count_is_one_figure_row_citing_both():
    a = point("a", 17, "The police agency has seen a total of 88 reports made regarding forged images from May 2 to 5.")
    b = point("b", 9, "In the past month, the investigation office has received 88 reports of image-based crimes.")
    other = point("c", 4, "Officers made 88 arrests in the same operation.")
    rows = figures([a, b, other])
    reports = [f for f in rows if f.value == "88" and f.counts.startswith("reports")]
    assert len(reports) == 1
    assert sorted(c.file for c in reports[0].citations) == ["in/a.txt", "in/b.txt"]
    assert any(f.value == "88" and f.counts.startswith("arrests") for f in rows)  # another count: its own row


def test_a_distinctive_figure_worded_otherwise_by_another_source_is_one_row():
    a = point("a", 3, "More than 4.4 million Americans filed for unemployment benefits last week, the department said.")
    b = point("b", 3, "Another 4.4 million people claimed unemployment benefits last week around the country.")
    small_a = point("a", 5, "The office counted 12 complaints in the first week of the scheme.")
    small_b = point("b", 5, "Inspectors made 12 visits to the sites that month.")
    rows = figures([a, b, small_a, small_b])
    assert [f.counts for f in rows if "4.4 million" in f.value] == ["Americans"]
    assert sorted(f.counts for f in rows if f.value == "12") == ["complaints", "visits"]  # a small number: two counts


def test_selection_is_deterministic():
    story = {"a": [PROBE_A, INJURED], "b": [PROBE_B, SIGNALS], "c": [UNION, COMPENSATION]}
    runs = []
    for _ in range(3):
        merged = [m.point for m in merge_points({k: list(v) for k, v in story.items()})]
        runs.append([(p.text, [c.key for c in p.citations]) for p in select_points(merged, FactMatcher(), 4, actors=4)])
    assert runs[0] == runs[1] == runs[2]
    assert position_actor(UNION.text)  # the union's demand is a position


def test_the_bottom_line_opens_with_a_statement_that_stands_alone():
    question = point("a", 1, "How will the council pay for the new bridge over the river?", 0.9)
    but = point("a", 2, "But now the council has decided to borrow the money for the bridge.", 0.8)
    plain = point("b", 1, "The city council voted to borrow 40 million dollars to build a bridge over the river.", 0.7)
    sections = partition([question, but, plain], [], bottom=1)
    assert [p.text for p in sections.bottom_line] == [plain.text]
    assert {p.text for p in sections.key_points} == {question.text, but.text}  # kept, not lost
    # When nothing stands alone, the most important point still leads.
    assert [p.text for p in partition([question, but], [], bottom=1).bottom_line] == [question.text]


def test_a_sentence_about_the_move_an_earlier_sentence_told_does_not_open_the_bottom_line():
    move = point("a", 2, "The move is the latest in a series of steps the council has taken this month.", 0.9)
    plain = point("b", 1, "The city council voted to borrow 40 million dollars to build a bridge over the river.", 0.7)
    of = point("c", 1, "The number of people crossing the river by ferry fell by half last year.", 0.8)
    assert [p.text for p in partition([move, plain], [], bottom=1).bottom_line] == [plain.text]
    assert [p.text for p in partition([move, of, plain], [], bottom=1).bottom_line] == [of.text]


def test_points_show_the_day_their_earliest_dated_source_reported_them():
    from briefing.model import Article

    def article(name, published, source="page"):
        return Article(name, f"in/{name}.txt", "en", [], published=published, date_source=source)

    lead = point("a", 1, "The city council voted to borrow 40 million dollars to build a bridge.", 0.9)
    year = point("b", 1, "The council has approved 12 new projects so far this year, its clerk said in a statement.", 0.8)
    both = Point(text="Engineers will inspect the old bridge before the work starts next spring.",
                 citations=[Citation("in/a.txt", 3, 3, "x"), Citation("in/b.txt", 4, 4, "y")], article_ids=["a", "b"])
    fetched = point("c", 2, "Residents of the east bank asked for a footpath on the new bridge.", 0.5)
    articles = [article("a", "2026-05-04"), article("b", "2026-05-02"), article("c", "2026-06-01", source="crawl")]
    sections = partition([lead, year, both, fetched], articles, bottom=2)
    by_text = {p.text: p for p in sections.bottom_line + sections.key_points + sections.background}
    assert by_text[lead.text].reported is None  # a bottom-line sentence that dates itself by its source
    assert by_text[year.text].reported == "2026-05-02"  # "so far this year" needs its day, even up top
    assert by_text[both.text].reported == "2026-05-02"  # the earliest of its sources
    assert by_text[fetched.text].reported is None  # a crawler's stamp is not a publication date
