import pytest

from app.domain.model_ids import display_name, normalise_model_id


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("claude-3-5-haiku-20241022", "claude-3-5-haiku"),
        ("Claude Sonnet 4.6", "claude-sonnet-4-6"),
        ("Claude Haiku 4.5", "claude-haiku-4-5"),
        ("claude-opus-4-7", "claude-opus-4-7"),
        ("  CLAUDE-OPUS-4-1-20250805 ", "claude-opus-4-1"),
        ("anthropic/claude-sonnet-4-5", "claude-sonnet-4-5"),
        ("anthropic.claude-3-5-sonnet-20240620-v1:0", "claude-3-5-sonnet"),
        ("claude-sonnet-4-5@20250929", "claude-sonnet-4-5"),
        ("claude-3-5-sonnet-latest", "claude-3-5-sonnet"),
        ("Claude 3.5 Haiku", "claude-3-5-haiku"),
        # Claude Code names the 1M-context variant with a suffix; the model is the same.
        ("claude-sonnet-4-5[1m]", "claude-sonnet-4-5"),
        ("claude-opus-5-5[1M]", "claude-opus-5-5"),
        ("claude-sonnet-4-5-20250929[1m]", "claude-sonnet-4-5"),
        ("gpt-4o", "gpt-4o"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise(raw, expected):
    assert normalise_model_id(raw) == expected


def test_display_name_round_trips():
    assert display_name("claude-sonnet-4-6") == "Claude Sonnet 4.6"
    assert normalise_model_id(display_name("claude-3-5-haiku")) == "claude-3-5-haiku"
