"""GET /health/ for load balancers, supervisors and the runbook: JSON, 200 or 503."""

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import health as checks


@never_cache
@require_GET
async def health(request):
    database = await sync_to_async(checks.check_database)()
    channel_layer = await checks.check_channel_layer()
    lag = await sync_to_async(checks.clock_lag)()
    max_lag = settings.HOITHI.get("HEALTH_MAX_CLOCK_LAG_SECONDS", 5.0)
    clock_ok = lag is None or lag <= max_lag
    healthy = database and channel_layer and clock_ok
    return JsonResponse(
        {
            "status": "ok" if healthy else "fail",
            "database": "ok" if database else "fail",
            "channel_layer": "ok" if channel_layer else "fail",
            "clock": {
                "status": "unknown" if lag is None else ("ok" if clock_ok else "lagging"),
                "lag_seconds": None if lag is None else round(lag, 3),
            },
        },
        status=200 if healthy else 503,
    )
