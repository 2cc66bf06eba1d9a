"""Word lists for the interpretable filler features, in several languages.

Each lexicon maps a language code to comma-separated entries; an entry is a
word or a phrase matched case-insensitively on word boundaries. Lists are general language
knowledge (reporting verbs, connectors, hedges, templates), written by hand;
none is taken from the acceptance seeds. Languages: en de fr es it pt ro ru uk
pl nl id, and a few entries for sv no fi.
"""

from __future__ import annotations

# Plain reporting: someone said something to someone, according to a source.
ATTRIBUTION = {
    "en": (
        "said, says, told, tells, according to, asked, added, reported, confirmed, "
        "announced, wrote, quoted, spokesman, spokeswoman, spokesperson, in a statement, "
        "told reporters, said in a statement, a statement said, declined to comment, "
        "did not respond"
    ),
    "de": (
        "sagte, sagt, sagten, erklärte, erklärt, teilte mit, berichtete, berichtet, laut, "
        "zufolge, so der, so die, sprecher, sprecherin, sagte er, sagte sie, hieß es, "
        "wie es hieß"
    ),
    "fr": (
        "a déclaré, a dit, dit-il, dit-elle, selon, a affirmé, a indiqué, a expliqué, "
        "a ajouté, a annoncé, a précisé, porte-parole, a-t-il, a-t-elle, a-t-il déclaré, "
        "a-t-il ajouté"
    ),
    "es": (
        "dijo, afirmó, declaró, según, explicó, añadió, aseguró, indicó, señaló, informó, "
        "portavoz, de acuerdo con"
    ),
    "it": (
        "ha detto, ha dichiarato, secondo, ha spiegato, ha aggiunto, ha affermato, "
        "ha annunciato, portavoce, ha riferito, ha detto il"
    ),
    "pt": (
        "disse, afirmou, declarou, segundo, de acordo com, explicou, acrescentou, "
        "informou, porta-voz"
    ),
    "ro": (
        "a declarat, a spus, a afirmat, a adăugat, a mai spus, a precizat, a explicat, "
        "a anunțat, potrivit, conform, purtătorul de cuvânt, a transmis, a menționat, "
        "a relatat"
    ),
    "ru": (
        "сказал, сказала, заявил, заявила, заявили, сообщил, сообщила, сообщили, "
        "по словам, по данным, рассказал, рассказала, передает, передаёт, пишет, уточнил, "
        "добавил, добавила, пресс-секретарь, говорится в сообщении, отметил, отметила"
    ),
    "uk": (
        "сказав, сказала, заявив, заявила, повідомив, повідомила, за словами, за даними, "
        "розповів, розповіла, зазначив, додав, пише, речник, речниця"
    ),
    "pl": (
        "powiedział, powiedziała, według, stwierdził, oświadczył, poinformował, "
        "poinformowała, dodał, rzecznik, przekazał"
    ),
    "nl": (
        "zei, zegt, volgens, aldus, verklaarde, liet weten, vertelde, woordvoerder, meldt, meldde"
    ),
    "id": (
        "kata, katanya, ujar, ujarnya, mengatakan, menurut, ungkap, ungkapnya, jelasnya, "
        "tuturnya, menjelaskan, dikutip, juru bicara, kepada wartawan"
    ),
    "sv": "sade, sa, enligt, uppger",
    "no": "sier, sa, ifølge, opplyser",
    "fi": "sanoi, kertoi, mukaan",
}

# Formal stand-ins for "said": stated / emphasised / underscored.
STATED = {
    "en": (
        "stated, emphasized, emphasised, emphasizing, emphasising, underscored, "
        "underscores, underscoring, highlighted, highlighting, stressed, articulated, "
        "underlined, asserted, reiterated, conveyed, remarked, pointed out, expressed, "
        "voiced, shed light"
    ),
    "de": (
        "betonte, unterstrich, hob hervor, verdeutlichte, bekräftigte, äußerte, "
        "brachte zum ausdruck"
    ),
    "fr": (
        "a souligné, souligne, a mis en avant, a mis en exergue, a insisté, "
        "met en lumière, a exprimé, a réitéré"
    ),
    "es": (
        "subrayó, destacó, enfatizó, resaltó, puso de relieve, subraya, destaca, enfatiza, "
        "expresó, reiteró"
    ),
    "it": ("ha sottolineato, sottolinea, ha evidenziato, ha ribadito, mette in luce, ha espresso"),
    "pt": "sublinhou, destacou, enfatizou, ressaltou, salientou, expressou, reiterou",
    "ro": "a subliniat, subliniază, a evidențiat, a accentuat, evidențiază, a reiterat",
    "ru": ("подчеркнул, подчеркнула, подчеркивает, подчёркивает, акцентировал, выразил, выразила"),
    "uk": "підкреслив, підкреслила, наголосив, наголосила, наголошує",
    "pl": "podkreślił, podkreśliła, podkreśla, zaakcentował, wyraził",
    "nl": "benadrukte, onderstreepte, benadrukt, onderstreept",
    "id": "menegaskan, menekankan, menggarisbawahi",
}

# Buzzwords of padded, promotional or machine-written prose.
BUZZ = {
    "en": (
        "crucial, pivotal, landscape, navigate, navigating, navigates, leverage, "
        "leveraging, foster, fostering, robust, seamless, seamlessly, holistic, "
        "multifaceted, paramount, synergy, synergies, transformative, cutting-edge, "
        "ever-evolving, realm, tapestry, delve, delves, delving, intricate, intricacies, "
        "nuanced, profound, vibrant, resonate, resonates, testament, elevate, empower, "
        "empowering, unlock, unlocking, harness, harnessing, bolster, bolstering, "
        "showcase, showcasing, streamline, streamlining, optimize, optimizing, "
        "stakeholders, ecosystem, paradigm, game-changer, game-changing, trajectory, "
        "recalibration, avenues, insights, invaluable, unwavering, commitment, endeavor, "
        "endeavors, meticulous, meticulously, dynamic, dynamics, strategic, strategically, "
        "innovative, comprehensive, enhance, enhanced, enhancing, significant, "
        "significantly, notable, vital, essential, key, underscore, underscores, "
        "pave the way, paving the way, plays a crucial role, plays a vital role, "
        "a testament to, in today's, ever-changing, rapidly evolving, at the forefront, "
        "deeper understanding, broader implications, a wide range of, a myriad of, myriad"
    ),
    "de": (
        "entscheidend, maßgeblich, ganzheitlich, innovativ, innovative, umfassend, "
        "umfassende, vielfältig, vielfältige, facettenreich, zukunftsweisend, wegweisend, "
        "synergien, nachhaltig, nahtlos, optimieren, stärken, spannend, bedeutend, "
        "bedeutende, wesentlich, wesentliche, spielt eine entscheidende rolle, "
        "von entscheidender bedeutung"
    ),
    "fr": (
        "crucial, cruciale, essentiel, essentielle, primordial, incontournable, paysage, "
        "naviguer, favoriser, renforcer, innovant, innovante, holistique, dynamique, "
        "synergie, enjeux, robuste, optimiser, joue un rôle clé, joue un rôle crucial"
    ),
    "es": (
        "crucial, fundamental, esencial, panorama, navegar, fomentar, potenciar, "
        "innovador, innovadora, integral, dinámico, sinergia, robusto, optimizar, "
        "impulsar, juega un papel crucial, desempeña un papel"
    ),
    "it": (
        "cruciale, fondamentale, essenziale, panorama, navigare, promuovere, potenziare, "
        "innovativo, innovativa, olistico, dinamico, sinergia, robusto, ottimizzare, "
        "svolge un ruolo"
    ),
    "pt": (
        "crucial, fundamental, essencial, panorama, navegar, fomentar, potencializar, "
        "inovador, inovadora, holístico, dinâmico, sinergia, robusto, otimizar, "
        "impulsionar, desempenha um papel"
    ),
    "ro": (
        "crucial, crucială, esențial, esențială, fundamental, peisaj, naviga, inovator, "
        "inovatoare, holistic, dinamic, sinergie, robust, optimiza, joacă un rol"
    ),
    "ru": (
        "ключевой, ключевую, ключевые, ключевым, комплексный, комплексного, всесторонний, "
        "инновационный, инновационные, динамичный, синергия, уникальный, уникальные, "
        "эффективный, эффективно, оптимизировать, значимый, играет ключевую роль, "
        "играет важную роль"
    ),
    "uk": (
        "ключовий, ключову, ключові, комплексний, інноваційний, інноваційні, динамічний, "
        "унікальний, ефективний, відіграє ключову роль"
    ),
    "pl": (
        "kluczowy, kluczowe, kluczową, istotny, istotne, kompleksowy, innowacyjny, "
        "innowacyjne, dynamiczny, efektywny, zoptymalizować, odgrywa kluczową rolę"
    ),
    "nl": (
        "cruciaal, cruciale, essentieel, essentiële, innovatief, innovatieve, holistisch, "
        "dynamisch, robuust, optimaliseren, speelt een cruciale rol"
    ),
    "id": (
        "krusial, esensial, inovatif, holistik, dinamis, signifikan, optimal, "
        "mengoptimalkan, komprehensif, memainkan peran penting"
    ),
}

# Connectors that pad machine-written paragraphs.
CONNECTORS = {
    "en": (
        "moreover, furthermore, additionally, consequently, notably, ultimately, overall, "
        "thus, hence, in addition, as a result, in essence, in particular, importantly, "
        "interestingly, undoubtedly, indeed"
    ),
    "de": "darüber hinaus, zudem, außerdem, insgesamt, letztendlich, folglich, somit",
    "fr": "en outre, de plus, par ailleurs, ainsi, finalement, par conséquent, en effet",
    "es": "además, asimismo, por otro lado, en definitiva, por lo tanto, en consecuencia",
    "it": "inoltre, pertanto, infine, di conseguenza, in effetti",
    "pt": "além disso, ademais, portanto, por conseguinte, assim sendo",
    "ro": "în plus, mai mult decât atât, prin urmare, astfel, așadar",
    "ru": (
        "кроме того, более того, таким образом, в целом, в конечном итоге, следовательно, "
        "помимо этого"
    ),
    "uk": "крім того, більше того, таким чином, загалом, отже",
    "pl": "ponadto, co więcej, w rezultacie, w związku z tym, dlatego",
    "nl": "bovendien, daarnaast, kortom, dus, derhalve",
    "id": "selain itu, lebih lanjut, oleh karena itu, dengan demikian, secara keseluruhan",
}

# Hedging and speculation.
HEDGES = {
    "en": (
        "might, could, potentially, possibly, perhaps, likely, arguably, seemingly, may, "
        "appears to, seems to, suggests that, suggesting that, it is important to note, "
        "it's important to note, it is worth noting, it's worth noting, "
        "remains to be seen, only time will tell, to some extent, in many ways"
    ),
    "de": (
        "könnte, könnten, möglicherweise, vermutlich, wahrscheinlich, scheint, bleibt abzuwarten"
    ),
    "fr": ("pourrait, pourraient, potentiellement, peut-être, probablement, semble, reste à voir"),
    "es": "podría, podrían, potencialmente, quizás, probablemente, parece, queda por ver",
    "it": ("potrebbe, potrebbero, potenzialmente, forse, probabilmente, sembra, resta da vedere"),
    "pt": "poderia, poderiam, potencialmente, talvez, provavelmente, parece, resta saber",
    "ro": "ar putea, potențial, probabil, pare, rămâne de văzut",
    "ru": (
        "возможно, вероятно, по-видимому, может быть, могут быть, мог бы, могла бы, "
        "покажет время, стоит отметить, важно отметить, следует отметить"
    ),
    "uk": "можливо, ймовірно, може бути, покаже час, варто зазначити, важливо зазначити",
    "pl": "potencjalnie, prawdopodobnie, wydaje się, czas pokaże, warto zauważyć",
    "nl": "mogelijk, waarschijnlijk, zou kunnen, lijkt te, valt nog te bezien",
    "id": "mungkin, kemungkinan, tampaknya, sepertinya, bisa jadi, perlu dicatat",
}

# Unnamed, generic sources in place of a named person.
VAGUE_SOURCES = {
    "en": (
        "observers, analysts, experts, critics, commentators, some argue, many believe, "
        "some say, it is believed, it is widely believed, proponents, skeptics, sceptics"
    ),
    "de": "beobachter, experten, analysten, kritiker, viele glauben",
    "fr": "observateurs, experts, analystes, critiques, certains estiment",
    "es": "observadores, expertos, analistas, críticos, algunos sostienen",
    "it": "osservatori, esperti, analisti, critici",
    "pt": "observadores, especialistas, analistas, críticos",
    "ro": "observatori, experți, analiști, critici, unii consideră",
    "ru": "эксперты, аналитики, наблюдатели, критики, многие считают",
    "uk": "експерти, аналітики, спостерігачі, критики",
    "pl": "eksperci, analitycy, obserwatorzy, krytycy",
    "nl": "waarnemers, experts, analisten, critici",
    "id": "pengamat, analis, kritikus, para ahli, para pakar",
}

# "X refers to ...": glossary and definition templates.
DEFINITION = {
    "en": (
        "refers to, refer to, is defined as, can be defined as, is a term, the term, "
        "is the process of, is a type of, is known as, encompasses, is a concept, "
        "typically refers, is a form of, is a set of"
    ),
    "de": (
        "bezeichnet, versteht man, bezieht sich auf, ist definiert als, der begriff, "
        "ist ein begriff"
    ),
    "fr": ("désigne, se réfère à, fait référence à, est défini comme, on entend par, le terme"),
    "es": "se refiere a, hace referencia a, se define como, el término, es un término",
    "it": "si riferisce a, fa riferimento a, si definisce, il termine",
    "pt": "refere-se a, se refere a, é definido como, o termo, diz respeito a",
    "ro": "se referă la, face referire la, este definit ca, termenul, desemnează",
    "ru": "— это, - это, представляет собой, относится к, под термином, понимается",
    "uk": "— це, - це, являє собою, відноситься до, під терміном",
    "pl": "odnosi się do, to termin, definiuje się jako, jest to",
    "nl": "verwijst naar, wordt gedefinieerd als, de term, is een term",
    "id": "merujuk pada, mengacu pada, adalah istilah, didefinisikan sebagai",
}

# Closing formulas.
CONCLUSION = {
    "en": (
        "in conclusion, in summary, to sum up, all in all, "
        "as we move forward, moving forward, going forward, remains to be seen, "
        "only time will tell, final thoughts, key takeaways, the bottom line, in the end, "
        "looking ahead"
    ),
    "de": (
        "zusammenfassend, abschließend, fazit, letztendlich, bleibt abzuwarten, "
        "schlussfolgerung, alles in allem"
    ),
    "fr": "en conclusion, en résumé, pour conclure, en somme, en définitive, reste à voir",
    "es": "en conclusión, en resumen, para concluir, en definitiva, queda por ver",
    "it": "in conclusione, in sintesi, per concludere, in definitiva, resta da vedere",
    "pt": "em conclusão, em resumo, para concluir, em suma, resta saber",
    "ro": "în concluzie, în rezumat, pe scurt, rămâne de văzut",
    "ru": "в заключение, подводя итог, подводя итоги, в итоге, покажет время, итак",
    "uk": "на завершення, підсумовуючи, покаже час",
    "pl": "podsumowując, na zakończenie, czas pokaże",
    "nl": "concluderend, samenvattend, tot slot, al met al",
    "id": "kesimpulannya, sebagai kesimpulan, singkatnya",
}

# Advice and recommendation templates.
RECOMMENDATION = {
    "en": (
        "recommendations, recommendation, should consider, should focus, "
        "it is essential to, it is crucial to, it is important to, best practices, "
        "key considerations, consider the following, key recommendations, actionable, "
        "make sure, ensure that, here are some, tips for, steps to"
    ),
    "de": "empfehlungen, empfiehlt sich, es ist wichtig, achten sie, tipps",
    "fr": (
        "recommandations, il est essentiel de, il est important de, il est recommandé, "
        "conseils, veillez à"
    ),
    "es": "recomendaciones, es esencial, es importante, se recomienda, consejos, asegúrese",
    "it": "raccomandazioni, è essenziale, è importante, si consiglia, consigli",
    "pt": "recomendações, é essencial, é importante, recomenda-se, dicas, certifique-se",
    "ro": "recomandări, este esențial, este important, se recomandă, sfaturi",
    "ru": ("рекомендации, рекомендуется, советы, убедитесь, важно учитывать, необходимо учитывать"),
    "uk": "рекомендації, рекомендується, поради, переконайтеся",
    "pl": "rekomendacje, zalecenia, wskazówki, upewnij się, warto",
    "nl": "aanbevelingen, het is belangrijk, het is essentieel, zorg ervoor",
    "id": "rekomendasi, disarankan, pastikan",
}

# Headings that say nothing about a particular story.
GENERIC_HEADINGS = {
    "en": (
        "introduction, overview, conclusion, in conclusion, conclusions, key takeaways, "
        "key points, key features, key facts, benefits, advantages, challenges, risks, "
        "recommendations, future outlook, the road ahead, looking ahead, why it matters, "
        "what this means, implications, understanding, the role of, the importance of, "
        "the impact of, background, summary, final thoughts, faqs, "
        "frequently asked questions, next steps, pros and cons, best practices, "
        "potential benefits, opportunities, challenges and opportunities, "
        "benefits and risks, analysis, outlook, impact"
    ),
    "de": (
        "einleitung, fazit, überblick, vorteile, herausforderungen, ausblick, "
        "zusammenfassung, empfehlungen, chancen und risiken"
    ),
    "fr": (
        "introduction, conclusion, aperçu, avantages, défis, perspectives, résumé, recommandations"
    ),
    "es": (
        "introducción, conclusión, conclusiones, ventajas, desafíos, perspectivas, "
        "resumen, recomendaciones"
    ),
    "it": (
        "introduzione, conclusione, conclusioni, vantaggi, sfide, prospettive, riepilogo, "
        "raccomandazioni"
    ),
    "pt": "introdução, conclusão, vantagens, desafios, perspectivas, resumo, recomendações",
    "ro": (
        "introducere, concluzie, concluzii, avantaje, provocări, perspective, rezumat, recomandări"
    ),
    "ru": (
        "введение, заключение, преимущества, вызовы, перспективы, выводы, итоги, "
        "рекомендации, основные выводы, ключевые моменты"
    ),
    "uk": "вступ, висновок, висновки, переваги, виклики, перспективи, рекомендації",
    "pl": "wprowadzenie, podsumowanie, zalety, wyzwania, perspektywy, rekomendacje",
    "nl": "inleiding, conclusie, voordelen, uitdagingen, vooruitzichten, aanbevelingen",
    "id": "pendahuluan, kesimpulan, manfaat, tantangan, prospek, rekomendasi",
}

# Month and weekday names: signs of dated reporting.
DATES = {
    "en": (
        "january, february, march, april, june, july, august, september, october, "
        "november, december, jan, feb, apr, jun, jul, aug, sep, sept, oct, nov, dec, "
        "monday, tuesday, wednesday, thursday, friday, saturday, sunday, yesterday"
    ),
    "de": (
        "januar, februar, märz, april, juni, juli, august, september, oktober, "
        "november, dezember, montag, dienstag, mittwoch, donnerstag, freitag, samstag, "
        "sonntag, gestern"
    ),
    "fr": (
        "janvier, février, mars, avril, juin, juillet, août, septembre, octobre, "
        "novembre, décembre, lundi, mardi, mercredi, jeudi, vendredi, samedi, dimanche, "
        "hier"
    ),
    "es": (
        "enero, febrero, marzo, abril, mayo, junio, julio, agosto, septiembre, octubre, "
        "noviembre, diciembre, lunes, martes, miércoles, jueves, viernes, sábado, domingo, "
        "ayer"
    ),
    "it": (
        "gennaio, febbraio, marzo, aprile, maggio, giugno, luglio, agosto, settembre, "
        "ottobre, novembre, dicembre, lunedì, martedì, mercoledì, giovedì, venerdì, "
        "sabato, domenica, ieri"
    ),
    "pt": (
        "janeiro, fevereiro, março, abril, maio, junho, julho, agosto, setembro, outubro, "
        "novembro, dezembro, segunda-feira, terça-feira, quarta-feira, quinta-feira, "
        "sexta-feira, sábado, domingo, ontem"
    ),
    "ro": (
        "ianuarie, februarie, martie, aprilie, iunie, iulie, august, septembrie, "
        "octombrie, noiembrie, decembrie, luni, marți, miercuri, joi, vineri, sâmbătă, "
        "duminică, ieri"
    ),
    "ru": (
        "января, февраля, марта, апреля, мая, июня, июля, августа, сентября, октября, "
        "ноября, декабря, понедельник, вторник, среду, четверг, пятницу, субботу, "
        "воскресенье, вчера"
    ),
    "uk": (
        "січня, лютого, березня, квітня, травня, червня, липня, серпня, вересня, жовтня, "
        "листопада, грудня, понеділок, вівторок, середу, четвер, п'ятницю, суботу, неділю, "
        "вчора"
    ),
    "pl": (
        "stycznia, lutego, marca, kwietnia, maja, czerwca, lipca, sierpnia, września, "
        "października, listopada, grudnia, poniedziałek, wtorek, środę, czwartek, piątek, "
        "sobotę, niedzielę, wczoraj"
    ),
    "nl": (
        "januari, februari, maart, april, mei, juni, juli, augustus, september, oktober, "
        "november, december, maandag, dinsdag, woensdag, donderdag, vrijdag, zaterdag, "
        "zondag, gisteren"
    ),
    "id": (
        "januari, februari, maret, april, mei, juni, juli, agustus, september, oktober, "
        "november, desember, senin, selasa, rabu, kamis, jumat, sabtu, minggu, kemarin"
    ),
}

SECOND_PERSON = {
    "en": "you, your, yours, yourself",
    "de": "ihr, ihre, ihren, dich, dir",
    "fr": "vous, votre, vos",
    "es": "usted, ustedes, tu, tus",
    "it": "voi, vostro, vostra, tuo, tua",
    "pt": "você, vocês",
    "ro": "dumneavoastră, voastră, tău",
    "ru": "вы, вам, вас, ваш, ваша, ваши",
    "uk": "ви, вам, вас, ваш, ваша, ваші",
    "pl": "ty, twój, twoja, wasz",
    "nl": "je, jij, jouw, uw",
    "id": "anda, kamu",
}

FIRST_PERSON = {
    "en": "i, me, my, mine, we, our",
    "de": "ich, mich, mein, meine, wir, unser, unsere",
    "fr": "je, moi, mon, ma, mes, nous, notre",
    "es": "yo, mi, mis, nosotros, nuestro, nuestra",
    "it": "io, mio, mia, noi, nostro, nostra",
    "pt": "eu, meu, minha, nós, nosso, nossa",
    "ro": "eu, meu, mea, noi, nostru, noastră",
    "ru": "я, мне, меня, мой, моя, мы, нас, наш, наша",
    "uk": "я, мені, мене, мій, моя, ми, нас, наш, наша",
    "pl": "ja, mnie, mój, moja, my, nas, nasz, nasza",
    "nl": "ik, mij, mijn, wij, we, ons, onze",
    "id": "saya, aku, kami, kita",
}


def entries(lexicon: dict[str, str]) -> list[str]:
    """All entries of a lexicon over every language, lowercased: a word or a phrase."""
    out = {
        entry.strip().lower()
        for text in lexicon.values()
        for entry in text.split(",")
        if entry.strip()
    }
    return sorted(out)


# How a chat assistant opens an answer: matched at the start of a text only.
ASSISTANT_OPENERS = {
    "en": (
        "sure here, sure here's, sure i, sure i'd, sure i'll, sure thing, certainly here, "
        "certainly here's, certainly i, of course here, of course here's, absolutely here, "
        "absolutely here's, here's a rewritten, here is a rewritten, here's a revised, "
        "here is a revised, here's a possible, here is a possible, here's an article, "
        "here is an article, here's a draft, here is a draft, here's a summary, "
        "here is a summary, here's a rephrased, here is a rephrased, as an ai, "
        "as a language model, i'd be happy to, i would be happy to, hi there, great question"
    ),
    "de": (
        "natürlich hier, gerne hier, sicher hier, hier ist ein möglicher, "
        "hier ist eine mögliche, hier ist der umgeschriebene, als ki, als sprachmodell"
    ),
    "fr": "bien sûr voici, voici une version, voici un article, en tant qu'ia",
    "es": "claro aquí, por supuesto aquí, aquí tienes, aquí está una versión, como ia",
    "it": "certo ecco, ecco una versione, ecco un articolo",
    "pt": "claro aqui, aqui está uma versão, aqui está um artigo",
    "ru": (
        "конечно вот, конечно я, конечно давайте, вот переписанный, вот переформулированный, "
        "вот возможный, как ии, как языковая модель, я рад помочь, с удовольствием помогу"
    ),
    "id": "tentu berikut, tentu saja berikut, baiklah berikut, sebagai ai",
    "zh": "当然以下, 好的以下, 作为一个人工智能, 作为人工智能",
}

# How a chat assistant signs off: matched in the last line of a text only.
ASSISTANT_SIGNOFFS = {
    "en": (
        "i hope this helps, hope this helps, let me know if you, feel free to ask, "
        "i hope this article, i hope this information"
    ),
    "de": "ich hoffe das hilft, ich hoffe dies hilft, ich hoffe diese informationen",
    "fr": "j'espère que cela vous aide, j'espère que cela t'aide",
    "es": "espero que esto te ayude, espero que te sea útil, espero que esta información",
    "it": "spero che questo ti sia utile, spero che queste informazioni",
    "pt": "espero que isso ajude, espero que isto ajude",
    "ru": "надеюсь это поможет, надеюсь эта информация, надеюсь мой ответ",
    "id": "semoga bermanfaat, semoga membantu, semoga informasi ini",
    "zh": "希望对你有帮助, 希望这对您有帮助, 希望对您有所帮助",
}
