"""The decisions table: the clerk's decisions are recorded in order and read back as written."""

from fazhi_cli.store import Decision, Store


def test_decisions_are_recorded_in_order_with_their_detail(tmp_path):
    with Store.open(tmp_path / "fazhi.db", create=True) as store:
        first = store.record_decision(Decision("2017-12-11T09:00:00+08:00", "dismiss", reason="误投的文件"))
        second = store.record_decision(Decision("2017-12-12T09:00:00+08:00", "approve", reason="",
                                                detail={"by": "区政府", "date": "2018-01-15"}))
    with Store.open(tmp_path / "fazhi.db") as store:
        found = store.decisions()
        assert [d.id for d in found] == [first, second]
        assert found[0].action == "dismiss" and found[0].reason == "误投的文件" and found[0].detail == {}
        assert found[1].detail == {"by": "区政府", "date": "2018-01-15"}
        assert [d.action for d in store.decisions("approve")] == ["approve"]
