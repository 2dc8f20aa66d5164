"""What the Unallocated cost is made of: the unmapped raw values, biggest first."""

from decimal import Decimal

from app.services.importing import import_file
from app.services.policy import apply_policy_file
from app.services.unallocated import unmapped_values


def test_unmapped_values_are_listed_biggest_first(workspace, tmp_path):
    """By hand (Haiku 4.5, $1 per 1M input): key k-big 3M input = $3; user ann 1M = $1;
    a tagged line 0.5M = $0.50; the mapped key k-data goes to Data and is not listed."""
    log = tmp_path / "g.csv"
    log.write_text(
        "timestamp,request_id,api_key,user,team,model,input_tokens\n"
        "2026-11-02T10:00:00Z,a,k-big,,,claude-haiku-4-5,3000000\n"
        "2026-11-02T10:00:01Z,b,,ann,,claude-haiku-4-5,1000000\n"
        "2026-11-02T10:00:02Z,c,,,growth,claude-haiku-4-5,500000\n"
        "2026-11-02T10:00:03Z,d,k-data,,,claude-haiku-4-5,9000000\n",
        encoding="utf-8",
    )
    policy = tmp_path / "p.toml"
    policy.write_text(
        'version = 1\n[[teams]]\nname = "Data"\n[[rules]]\nwhen = { api_key = "k-data" }\n'
        'team = "Data"\n',
        encoding="utf-8",
    )
    apply_policy_file(workspace, policy)
    assert import_file(workspace, log).status == "imported"
    found = [(v.dimension, v.value, v.cost) for v in unmapped_values(workspace, "2026-11")]
    assert found == [
        ("API key", "k-big", Decimal("3")),
        ("user", "ann", Decimal("1")),
        ("tags", "tag.team = growth", Decimal("0.5")),
    ]
