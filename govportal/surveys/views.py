"""Public views of a survey page (routed by :class:`~.models.SurveyPage`): the page in
its state (未开始 / 进行中 with the form / 已结束 with the results) and the thank-you page."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from . import services
from .forms import AnswerForm
from .models import AnswerRule, SurveyState

NOT_OPEN_MESSAGE = {
    SurveyState.UPCOMING: "本调查尚未开始，答卷未提交。",
    SurveyState.CLOSED: "本调查已结束，答卷未提交。",
}


def login_url(request) -> str:
    return f"{reverse('citizens:login')}?{urlencode({'next': request.get_full_path()})}"


def survey(request, page):
    now = timezone.now()
    state = page.state(now)
    context = {
        "state": state,
        "states": SurveyState,
        "answered": False,
        "form": None,
        "notice": "",
        "needs_login": False,
        "login_url": login_url(request),
        "closes_at": page.effective_closes_at,
    }
    status = 200
    if state == SurveyState.OPEN:
        context["answered"] = services.already_answered(page, request)
        if page.answer_rule == AnswerRule.ACCOUNT and not request.user.is_authenticated:
            context["needs_login"] = True
        elif not context["answered"]:
            questions = services.questions_of(page)
            if request.method == "POST":
                form = AnswerForm(questions, request.POST)
                if form.is_bot:
                    return page.go_thanks(request)  # pretend; save nothing
                if form.is_valid():
                    token = services.device_token(request) or services.new_device_token()
                    try:
                        services.submit(page, request, form.answers(), token=token)
                    except services.AlreadyAnswered:
                        context["answered"] = True
                    except services.Throttled:
                        context["notice"] = "提交过于频繁，请稍后再试。您填写的内容已保留。"
                        status = 429
                    else:
                        response = page.go_thanks(request)
                        if page.answer_rule == AnswerRule.DEVICE:
                            services.set_device_cookie(response, token)
                        return response
            else:
                form = AnswerForm(questions)
            context["form"] = form
    else:
        if request.method == "POST":
            context["notice"] = NOT_OPEN_MESSAGE[state]
            status = 409
        if state == SurveyState.CLOSED and page.results_public:
            total, results = services.results(page)
            context["total"] = total
            context["results"] = results
    response = page.render(request, context_overrides=context)
    response.status_code = status
    return response


def thanks(request, page):
    return page.render(
        request,
        context_overrides={"closes_at": page.effective_closes_at},
        template="surveys/thanks.html",
    )
