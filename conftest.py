pytest_plugins = ["tests.support.stack"]


def pytest_collection_modifyitems(config, items):
    """A test that starts the platform belongs to the integration tier: the fast tier must never
    wait for a broker."""
    unmarked = [
        item.nodeid
        for item in items
        if item.get_closest_marker("integration") is None
        and any(name.endswith("stack") for name in getattr(item, "fixturenames", ()))
    ]
    if unmarked:
        raise RuntimeError(
            "mark these tests `integration` (pytestmark = pytest.mark.integration): " + ", ".join(unmarked[:5])
        )
