from smartedu.portal.registry import platforms


def navigation(request) -> dict:
    return {"nav_platforms": platforms()}
