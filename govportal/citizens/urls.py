app_name = "citizens"
urlpatterns = []
